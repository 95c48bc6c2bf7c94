namespace Harness.Turns;

[GenerateSerializer]
public sealed record TurnError
{
    [Id(0), JsonPropertyName("kind")] public required string Kind { get; init; }
    [Id(1), JsonPropertyName("message")] public required string Message { get; init; }
}
