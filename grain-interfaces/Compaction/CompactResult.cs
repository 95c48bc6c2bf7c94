namespace Harness.Compaction;

/// <summary><c>{status: ok|skipped|overflow, compaction_entry_id?, tokens_before, tokens_after?, reason?}</c>.</summary>
[GenerateSerializer]
public sealed record CompactResult
{
    [Id(0), JsonPropertyName("status")] public required string Status { get; init; }
    [Id(1), JsonPropertyName("compaction_entry_id")] public string? CompactionEntryId { get; init; }
    [Id(2), JsonPropertyName("tokens_before")] public long TokensBefore { get; init; }
    [Id(3), JsonPropertyName("tokens_after")] public long? TokensAfter { get; init; }
    [Id(4), JsonPropertyName("reason")] public string? Reason { get; init; }
    [Id(5), JsonPropertyName("summary_text")] public string? SummaryText { get; init; }
    [Id(6), JsonPropertyName("tail_start_id")] public string? TailStartId { get; init; }

    public const string Ok = "ok";
    public const string Skipped = "skipped";
    public const string Overflow = "overflow";
}
