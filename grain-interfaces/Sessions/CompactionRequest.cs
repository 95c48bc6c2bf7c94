using Harness.Validation;

namespace Harness.Sessions;

/// <summary>Records a compaction: <c>summary</c> replaces every entry before <c>tail_start_id</c> on the active path.</summary>
[GenerateSerializer]
public sealed record CompactionRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("entry_id")] public string? EntryId { get; init; }
    [Id(2), JsonPropertyName("summary")] public string? Summary { get; init; }
    [Id(3), JsonPropertyName("tail_start_id")] public string? TailStartId { get; init; }
    [Id(4), JsonPropertyName("tokens_before")] public long? TokensBefore { get; init; }

    public void Validate()
    {
        Require.Key(SessionId, "session_id");
        Require.NonEmpty(EntryId, "entry_id");
        Require.NonEmpty(Summary, "summary");
    }
}
