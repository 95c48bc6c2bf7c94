namespace Harness.Sessions;

[GenerateSerializer]
public sealed record SessionAppendResult
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("entry_ids")] public IReadOnlyList<string> EntryIds { get; init; } = [];
    [Id(2), JsonPropertyName("appended")] public int Appended { get; init; }
    [Id(3), JsonPropertyName("leaf_id")] public string? LeafId { get; init; }
}
