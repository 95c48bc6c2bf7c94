namespace Harness.Messages;

/// <summary>A tool schema offered to the model (spec §1.2).</summary>
[GenerateSerializer]
public sealed record AgentFunction
{
    [Id(0), JsonPropertyName("name")] public required string Name { get; init; }
    [Id(1), JsonPropertyName("description")] public required string Description { get; init; }
    [Id(2), JsonPropertyName("parameters")] public JsonElement Parameters { get; init; }
    [Id(3), JsonPropertyName("label")] public string? Label { get; init; }
    [Id(4), JsonPropertyName("execution_mode")] public string? ExecutionMode { get; init; }
    [Id(5), JsonPropertyName("prepare_arguments_supported")] public bool? PrepareArgumentsSupported { get; init; }
}
