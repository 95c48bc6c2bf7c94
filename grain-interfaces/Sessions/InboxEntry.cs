using Harness.Messages;

namespace Harness.Sessions;

/// <summary>One queued inbox message with the id and time the C4 console shows, edits and removes it by.</summary>
[GenerateSerializer, Immutable]
public sealed record InboxEntry
{
    [Id(0), JsonPropertyName("entry_id")] public required string EntryId { get; init; }
    [Id(1), JsonPropertyName("message")] public required AgentMessage Message { get; init; }
    [Id(2), JsonPropertyName("queued_at")] public long QueuedAt { get; init; }
}
