namespace Harness.ConsoleTurns;

/// <summary><c>harness::send</c> reply (harness-e2e <c>SendResponse</c>): a busy session merges or queues instead of refusing.</summary>
[GenerateSerializer, Immutable]
public sealed record ConsoleSendResult
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("turn_id")] public required string TurnId { get; init; }
    [Id(2), JsonPropertyName("accepted")] public bool Accepted { get; init; }

    /// <summary>Folded into the in-flight turn (it reads it at its next steering check).</summary>
    [Id(3), JsonPropertyName("merged")] public bool? Merged { get; init; }

    /// <summary>Queued while the turn streams; listed by <c>harness::status</c> until the turn takes it.</summary>
    [Id(4), JsonPropertyName("queued")] public bool? Queued { get; init; }

    [Id(5), JsonPropertyName("deduplicated")] public bool? Deduplicated { get; init; }

    /// <summary>The queued entry (our addition: what <c>harness::unqueue</c>/<c>edit_queued</c> take).</summary>
    [Id(6), JsonPropertyName("entry_id")] public string? EntryId { get; init; }
}
