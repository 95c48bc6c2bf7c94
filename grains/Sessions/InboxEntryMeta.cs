namespace Harness.Sessions;

/// <summary>Stored id and time of the inbox message at the same position of its queue (<see cref="SessionGrainState.InboxEntries"/>).</summary>
public sealed record InboxEntryMeta
{
    [System.Text.Json.Serialization.JsonPropertyName("entry_id")] public required string EntryId { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("queued_at")] public long QueuedAt { get; init; }
}
