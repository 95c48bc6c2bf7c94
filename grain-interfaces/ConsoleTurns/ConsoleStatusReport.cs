using Harness.Messages;

namespace Harness.ConsoleTurns;

/// <summary><c>harness::status</c> reply (harness-e2e <c>StatusReport</c>; fields this harness has no notion of are zero/empty).</summary>
[GenerateSerializer, Immutable]
public sealed record ConsoleStatusReport
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("turn_id")] public string? TurnId { get; init; }
    [Id(2), JsonPropertyName("status")] public required string Status { get; init; }
    [Id(3), JsonPropertyName("queued")] public IReadOnlyList<ConsoleQueuedMessage> Queued { get; init; } = [];
    [Id(4), JsonPropertyName("pending_function_calls")] public IReadOnlyList<string> PendingFunctionCalls { get; init; } = [];
    [Id(5), JsonPropertyName("turn_count")] public int TurnCount { get; init; }
    [Id(6), JsonPropertyName("max_turns")] public int MaxTurns { get; init; }
    [Id(7), JsonPropertyName("step")] public long Step { get; init; }
    [Id(8), JsonPropertyName("result_error")] public string? ResultError { get; init; }
    [Id(9), JsonPropertyName("turns")] public IReadOnlyList<ConsoleTurnRecord> Turns { get; init; } = [];
    [Id(10), JsonPropertyName("children")] public IReadOnlyList<string> Children { get; init; } = [];
    [Id(11), JsonPropertyName("depth")] public int Depth { get; init; }
    [Id(12), JsonPropertyName("transient_resumes")] public int TransientResumes { get; init; }
    [Id(13), JsonPropertyName("max_transient_resumes")] public int MaxTransientResumes { get; init; }
    [Id(14), JsonPropertyName("validation_retries")] public int ValidationRetries { get; init; }
    [Id(15), JsonPropertyName("max_validation_retries")] public int MaxValidationRetries { get; init; }
    [Id(16), JsonPropertyName("partial_result_available")] public bool PartialResultAvailable { get; init; }
    [Id(17), JsonPropertyName("expects_wake")] public bool ExpectsWake { get; init; }
}

/// <summary>One message waiting in the session queue (harness-e2e <c>QueuedMessage</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record ConsoleQueuedMessage
{
    [Id(0), JsonPropertyName("id")] public required string Id { get; init; }
    [Id(1), JsonPropertyName("entry_id")] public required string EntryId { get; init; }
    [Id(2), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(3), JsonPropertyName("message")] public required AgentMessage Message { get; init; }
    [Id(4), JsonPropertyName("queued_at")] public long QueuedAt { get; init; }
}
