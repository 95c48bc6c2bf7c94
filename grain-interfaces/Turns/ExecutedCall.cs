using Harness.Messages;

namespace Harness.Turns;

[GenerateSerializer]
public sealed record ExecutedCall
{
    [Id(0), JsonPropertyName("call")] public required FunctionCall Call { get; init; }
    [Id(1), JsonPropertyName("result")] public required FunctionResult Result { get; init; }
    [Id(2), JsonPropertyName("is_error")] public bool IsError { get; init; }
    [Id(3), JsonPropertyName("duration_ms")] public long DurationMs { get; init; }
}
