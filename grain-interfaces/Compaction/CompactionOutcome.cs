namespace Harness.Compaction;

/// <summary>
/// Reply of <c>compact_now</c> and <c>compact_session</c>: <c>{status:"ok", tail_start_id, tokens_before, auto_continued,
/// summary_text}</c> | <c>{status:"busy"}</c> | <c>{status:"overflow", message}</c> | <c>{status:"empty"}</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CompactionOutcome
{
    [Id(0), JsonPropertyName("status")] public required string Status { get; init; }
    [Id(1), JsonPropertyName("tail_start_id")] public string? TailStartId { get; init; }
    [Id(2), JsonPropertyName("tokens_before")] public long? TokensBefore { get; init; }
    [Id(3), JsonPropertyName("auto_continued")] public bool? AutoContinued { get; init; }
    [Id(4), JsonPropertyName("summary_text")] public string? SummaryText { get; init; }

    /// <summary>Why the summary could not be written (<c>overflow</c> only).</summary>
    [Id(5), JsonPropertyName("message")] public string? Message { get; init; }

    /// <summary>The compaction entry written (<c>ok</c> only); the console reads it from <c>compaction_done</c>.</summary>
    [Id(6), JsonPropertyName("compaction_entry_id")] public string? CompactionEntryId { get; init; }

    public const string Ok = "ok";
    public const string Busy = "busy";
    public const string Overflow = "overflow";
    public const string Empty = "empty";

    public static readonly CompactionOutcome BusyOutcome = new() { Status = Busy };
    public static readonly CompactionOutcome EmptyOutcome = new() { Status = Empty };

    public static CompactionOutcome OverflowOutcome(string message) => new() { Status = Overflow, Message = message };
}
