using Harness.Messages;

namespace Harness.Sessions;

/// <summary>
/// A tree entry as the wire shows it (§3.1 <c>SessionEntry</c>, tagged by <c>type</c>): <c>message</c>
/// {message}, <c>compaction</c> {summary, tokens_before, tail_start_id, details}, <c>branch_summary</c> {summary, from_id}.
/// The stored <see cref="SessionEntry"/> keeps its own field names; this is the published form.
/// </summary>
[GenerateSerializer]
public sealed record SessionEntryView
{
    [Id(0), JsonPropertyName("type")] public required string Type { get; init; }
    [Id(1), JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>Written as null on a root, as the original stores it.</summary>
    [Id(2), JsonPropertyName("parent_id"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? ParentId { get; init; }
    [Id(3), JsonPropertyName("message")] public AgentMessage? Message { get; init; }
    [Id(4), JsonPropertyName("summary")] public string? Summary { get; init; }
    [Id(5), JsonPropertyName("tokens_before")] public long? TokensBefore { get; init; }
    [Id(6), JsonPropertyName("tail_start_id")] public string? TailStartId { get; init; }
    [Id(7), JsonPropertyName("details")] public CompactionDetails? Details { get; init; }
    [Id(8), JsonPropertyName("from_id")] public string? FromId { get; init; }
    [Id(9), JsonPropertyName("timestamp")] public long Timestamp { get; init; }
    [Id(10), JsonPropertyName("custom_type")] public string? CustomType { get; init; }
    [Id(11), JsonPropertyName("data")] public JsonElement? Data { get; init; }

    public static SessionEntryView From(SessionEntry entry) => new()
    {
        Type = entry.Kind,
        Id = entry.Id,
        ParentId = entry.ParentId,
        Message = entry.Message,
        Summary = entry.Summary,
        TokensBefore = entry.Kind == SessionEntryKinds.Compaction ? entry.TokensBefore ?? 0 : null,
        TailStartId = entry.TailStartId,
        Details = entry.Kind == SessionEntryKinds.Compaction ? entry.Details ?? new CompactionDetails() : null,
        FromId = entry.FromId,
        Timestamp = entry.Timestamp,
        CustomType = entry.CustomType,
        Data = entry.Data,
    };
}
