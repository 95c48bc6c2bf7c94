namespace Harness.Models;

/// <summary>
/// A models-catalog entry (console-and-data §3.3 <c>Model</c>): which provider serves it, its context window and what it
/// supports (absent = unknown, which <c>models::supports</c> answers as false).
/// </summary>
[GenerateSerializer]
public sealed record ModelInfo
{
    [Id(0), JsonPropertyName("id")] public required string Id { get; init; }
    [Id(1), JsonPropertyName("provider")] public required string Provider { get; init; }
    [Id(2), JsonPropertyName("display_name")] public string? DisplayName { get; init; }
    [Id(3), JsonPropertyName("context_window")] public long? ContextWindow { get; init; }
    [Id(4), JsonPropertyName("max_output_tokens")] public long? MaxOutputTokens { get; init; }
    [Id(5), JsonPropertyName("supports_thinking")] public bool? SupportsThinking { get; init; }
    [Id(6), JsonPropertyName("supports_xhigh")] public bool? SupportsXhigh { get; init; }
    [Id(7), JsonPropertyName("supports_tools")] public bool? SupportsTools { get; init; }
    [Id(8), JsonPropertyName("supports_vision")] public bool? SupportsVision { get; init; }
    [Id(9), JsonPropertyName("supports_cache")] public bool? SupportsCache { get; init; }
}
