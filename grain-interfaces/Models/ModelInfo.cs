namespace Harness.Models;

/// <summary>
/// A models-catalog entry (console-and-data §3.3 <c>Model</c>): which provider serves it and over which API, its
/// limits, what it supports (absent = unknown, which <c>models::supports</c> answers as false), its transports, cache
/// retention and price.
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

    /// <summary>The upstream wire API, e.g. <c>anthropic-messages</c>, <c>openai-completions</c>.</summary>
    [Id(10), JsonPropertyName("api")] public string? Api { get; init; }

    [Id(11), JsonPropertyName("thinking_budgets")] public ModelThinkingBudgets? ThinkingBudgets { get; init; }

    /// <summary>Subset of <see cref="TransportNames"/>.</summary>
    [Id(12), JsonPropertyName("transports")] public IReadOnlyList<string>? Transports { get; init; }

    /// <summary>One of <see cref="CacheRetentions"/>.</summary>
    [Id(13), JsonPropertyName("default_cache_retention")] public string? DefaultCacheRetention { get; init; }

    /// <summary>The provider's price, else the one configured under <c>Harness:Pricing:&lt;id&gt;</c> (filled in on read).</summary>
    [Id(14), JsonPropertyName("pricing")] public ModelPricing? Pricing { get; init; }

    public static readonly IReadOnlyList<string> TransportNames = ["sse", "websocket", "auto"];

    public static readonly IReadOnlyList<string> CacheRetentions = ["none", "short", "long"];
}
