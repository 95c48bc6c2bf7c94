namespace Harness.Sessions;

/// <summary><c>session-tree::entries</c>: every entry of the tree plus the active leaf.</summary>
[GenerateSerializer]
public sealed record SessionTreeView
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("leaf_id")] public string? LeafId { get; init; }
    [Id(2), JsonPropertyName("entries")] public IReadOnlyList<SessionEntry> Entries { get; init; } = [];
}
