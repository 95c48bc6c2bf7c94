namespace Harness.Turns;

[GenerateSerializer]
public sealed record RunAbortResult
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("aborted")] public bool Aborted { get; init; }
    [Id(2), JsonPropertyName("state")] public string? State { get; init; }
}
