namespace Harness.Turns;

[GenerateSerializer]
public sealed record RunStartResult
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("started")] public bool Started { get; init; }
    [Id(2), JsonPropertyName("reason")] public string? Reason { get; init; }

    public const string SessionBusy = "session_busy";
}
