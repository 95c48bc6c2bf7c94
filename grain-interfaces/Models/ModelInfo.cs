namespace Harness.Models;

/// <summary>A models-catalog entry: which provider serves it and its context window.</summary>
[GenerateSerializer]
public sealed record ModelInfo
{
    [Id(0), JsonPropertyName("id")] public required string Id { get; init; }
    [Id(1), JsonPropertyName("provider")] public required string Provider { get; init; }
    [Id(2), JsonPropertyName("display_name")] public string? DisplayName { get; init; }
    [Id(3), JsonPropertyName("context_window")] public long? ContextWindow { get; init; }
    [Id(4), JsonPropertyName("max_output_tokens")] public long? MaxOutputTokens { get; init; }
}
