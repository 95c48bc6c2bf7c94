using Harness.Validation;

namespace Harness.Sessions;

/// <summary>
/// Records a compaction: <c>summary</c> replaces every entry before <c>tail_start_id</c> on its path. The entry goes
/// under <c>parent_id</c> (default: the active leaf) and becomes the active leaf. With <c>entry_id</c> the call is
/// idempotent; without one a new id is made (<c>session-tree::compact</c>).
/// </summary>
[GenerateSerializer]
public sealed record CompactionRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("entry_id")] public string? EntryId { get; init; }
    [Id(2), JsonPropertyName("summary")] public string? Summary { get; init; }
    [Id(3), JsonPropertyName("tail_start_id")] public string? TailStartId { get; init; }
    [Id(4), JsonPropertyName("tokens_before")] public long? TokensBefore { get; init; }
    [Id(5), JsonPropertyName("parent_id")] public string? ParentId { get; init; }
    [Id(6), JsonPropertyName("details")] public CompactionDetails? Details { get; init; }

    public void Validate()
    {
        Require.Key(SessionId, "session_id");
        if (EntryId is not null)
        {
            Require.NonEmpty(EntryId, "entry_id");
        }
        Require.NonEmpty(Summary, "summary");
    }
}
