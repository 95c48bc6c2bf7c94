namespace Harness.Sessions;

/// <summary>One compaction entry as <c>session-tree::compactions</c> lists it (oldest first).</summary>
[GenerateSerializer]
public sealed record CompactionRow
{
    [Id(0), JsonPropertyName("id")] public required string Id { get; init; }
    [Id(1), JsonPropertyName("summary")] public required string Summary { get; init; }
    [Id(2), JsonPropertyName("tokens_before")] public long TokensBefore { get; init; }
    [Id(3), JsonPropertyName("tail_start_id")] public string? TailStartId { get; init; }
    [Id(4), JsonPropertyName("details")] public CompactionDetails Details { get; init; } = new();
    [Id(5), JsonPropertyName("timestamp")] public long Timestamp { get; init; }
}
