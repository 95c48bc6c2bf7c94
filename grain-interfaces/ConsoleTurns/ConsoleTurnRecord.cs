namespace Harness.ConsoleTurns;

/// <summary>One turn of a session as the C4 console knows it (kept: the session's turn history).</summary>
[GenerateSerializer, Immutable]
public sealed record ConsoleTurnRecord
{
    [Id(0), JsonPropertyName("turn_id")] public required string TurnId { get; init; }

    /// <summary><see cref="ConsoleTurnStatuses"/>.</summary>
    [Id(1), JsonPropertyName("status")] public required string Status { get; init; }
    [Id(2), JsonPropertyName("started_at")] public long StartedAt { get; init; }
    [Id(3), JsonPropertyName("ended_at")] public long? EndedAt { get; init; }
    [Id(4), JsonPropertyName("reason")] public string? Reason { get; init; }
}

/// <summary>The coarse turn statuses of the C4 surface (harness-e2e <c>TurnStatus</c>).</summary>
public static class ConsoleTurnStatuses
{
    public const string Running = "running";
    public const string AwaitingFunctions = "awaiting_functions";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";

    public static readonly string[] All = [Running, AwaitingFunctions, Completed, Cancelled, Failed];
}
