using Harness.Messages;

namespace Harness.Sessions;

/// <summary>
/// <c>session-tree::messages</c>: what a provider is sent for the active path. With a compaction on the path,
/// <c>summary</c> is its text and <c>messages</c> only the tail after it.
/// </summary>
[GenerateSerializer]
public sealed record SessionWindow
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("messages")] public IReadOnlyList<AgentMessage> Messages { get; init; } = [];
    [Id(2), JsonPropertyName("entry_ids")] public IReadOnlyList<string> EntryIds { get; init; } = [];
    [Id(3), JsonPropertyName("summary")] public string? Summary { get; init; }
    [Id(4), JsonPropertyName("compaction_entry_id")] public string? CompactionEntryId { get; init; }
}
