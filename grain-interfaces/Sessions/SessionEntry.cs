using Harness.Messages;

namespace Harness.Sessions;

/// <summary>
/// A node of the session tree as stored: a <c>message</c>, a <c>compaction</c> whose summary stands in for every
/// entry before <c>tail_start_id</c> on its path, or a <c>branch_summary</c> standing in for a collapsed fork source.
/// The published form is <see cref="SessionEntryView"/>.
/// </summary>
[GenerateSerializer]
public sealed record SessionEntry
{
    [Id(0), JsonPropertyName("id")] public required string Id { get; init; }
    [Id(1), JsonPropertyName("parent_id")] public string? ParentId { get; init; }
    [Id(2), JsonPropertyName("kind")] public string Kind { get; init; } = SessionEntryKinds.Message;
    [Id(3), JsonPropertyName("message")] public AgentMessage? Message { get; init; }
    [Id(4), JsonPropertyName("summary")] public string? Summary { get; init; }
    [Id(5), JsonPropertyName("tail_start_id")] public string? TailStartId { get; init; }
    [Id(6), JsonPropertyName("tokens_before")] public long? TokensBefore { get; init; }
    [Id(7), JsonPropertyName("timestamp")] public long Timestamp { get; init; }
    [Id(8), JsonPropertyName("from_id")] public string? FromId { get; init; }
    [Id(9), JsonPropertyName("details")] public CompactionDetails? Details { get; init; }

    /// <summary>A session-manager custom entry's type (<c>custom</c> kind, or a console-written <c>compaction</c>).</summary>
    [Id(10), JsonPropertyName("custom_type")] public string? CustomType { get; init; }

    /// <summary>A session-manager custom entry's data, echoed verbatim on reads.</summary>
    [Id(11), JsonPropertyName("data")] public JsonElement? Data { get; init; }
}

public static class SessionEntryKinds
{
    public const string Message = "message";
    public const string Compaction = "compaction";
    public const string BranchSummary = "branch_summary";

    /// <summary>A session-manager bookkeeping entry (<c>{custom_type, data}</c>); never part of a provider window.</summary>
    public const string Custom = "custom";
}
