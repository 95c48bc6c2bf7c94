namespace Harness.Turns;

[GenerateSerializer]
public sealed record RunStartResult
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("started")] public bool Started { get; init; }
    [Id(2), JsonPropertyName("reason")] public string? Reason { get; init; }

    public const string SessionBusy = "session_busy";

    /// <summary>
    /// The session's last run, now ended, was started with this <c>message_id</c> (a retried start whose answer was
    /// lost); while that run is in flight a repeat is answered <see cref="SessionBusy"/>, like any start.
    /// </summary>
    public const string AlreadyStarted = "already_started";
}
