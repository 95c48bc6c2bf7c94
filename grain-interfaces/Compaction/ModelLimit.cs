namespace Harness.Compaction;

/// <summary>A model's token limits as the console and the orchestrator send them: <c>{context, input, output}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelLimit
{
    [Id(0), JsonPropertyName("context")] public long? Context { get; init; }
    [Id(1), JsonPropertyName("input")] public long? Input { get; init; }
    [Id(2), JsonPropertyName("output")] public long? Output { get; init; }
}
