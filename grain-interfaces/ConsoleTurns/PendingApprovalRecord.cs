namespace Harness.ConsoleTurns;

/// <summary>A function call awaiting a human (the C4 console's <c>PendingApprovalRecord</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record PendingApprovalRecord
{
    [Id(0), JsonPropertyName("function_call_id")] public required string FunctionCallId { get; init; }
    [Id(1), JsonPropertyName("function_id")] public required string FunctionId { get; init; }
    [Id(2), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(3), JsonPropertyName("turn_id")] public required string TurnId { get; init; }
    [Id(4), JsonPropertyName("arguments_excerpt")] public string? ArgumentsExcerpt { get; init; }
    [Id(5), JsonPropertyName("pending_at")] public long PendingAt { get; init; }

    /// <summary>This harness parks a call until decided or aborted; this is when the console should call it stale.</summary>
    [Id(6), JsonPropertyName("expires_at")] public long ExpiresAt { get; init; }
    [Id(7), JsonPropertyName("status")] public string Status { get; init; } = "pending";
}
