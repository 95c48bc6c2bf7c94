using Harness.Models;
using Harness.Validation;

namespace Harness.Bridge.Functions.Payloads;

/// <summary>
/// A Model as a provider writes it (<c>models::register</c>, one entry of <c>models::reconcile</c>): every §3.3 Model
/// field is kept (<c>id, provider, api, display_name, context_window, max_output_tokens, supports_*,
/// thinking_budgets, transports, default_cache_retention, pricing</c>).
/// </summary>
public sealed record ModelEntryRequest
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("provider")] public string? Provider { get; init; }
    [JsonPropertyName("api")] public string? Api { get; init; }
    [JsonPropertyName("display_name")] public string? DisplayName { get; init; }
    [JsonPropertyName("context_window")] public long? ContextWindow { get; init; }
    [JsonPropertyName("max_output_tokens")] public long? MaxOutputTokens { get; init; }
    [JsonPropertyName("supports_thinking")] public bool? SupportsThinking { get; init; }
    [JsonPropertyName("supports_xhigh")] public bool? SupportsXhigh { get; init; }
    [JsonPropertyName("supports_tools")] public bool? SupportsTools { get; init; }
    [JsonPropertyName("supports_vision")] public bool? SupportsVision { get; init; }
    [JsonPropertyName("supports_cache")] public bool? SupportsCache { get; init; }
    [JsonPropertyName("thinking_budgets")] public ModelThinkingBudgets? ThinkingBudgets { get; init; }
    [JsonPropertyName("transports")] public List<string>? Transports { get; init; }
    [JsonPropertyName("default_cache_retention")] public string? DefaultCacheRetention { get; init; }
    [JsonPropertyName("pricing")] public ModelPricingEntry? Pricing { get; init; }

    /// <param name="prefix">Field path of this entry in the request (e.g. <c>models[2].</c>), for error messages.</param>
    public ModelInfo ToModel(string provider, string prefix = "")
    {
        var id = Require.NonEmpty(Id, prefix + "id");
        if (ContextWindow is <= 0)
        {
            throw new PayloadValidationException(prefix + "context_window", "must be positive");
        }
        if (MaxOutputTokens is <= 0)
        {
            throw new PayloadValidationException(prefix + "max_output_tokens", "must be positive");
        }
        for (var i = 0; i < (Transports?.Count ?? 0); i++)
        {
            Require.OneOf(Transports![i], $"{prefix}transports[{i}]", [.. ModelInfo.TransportNames]);
        }
        if (DefaultCacheRetention is not null)
        {
            Require.OneOf(DefaultCacheRetention, prefix + "default_cache_retention", [.. ModelInfo.CacheRetentions]);
        }
        return new ModelInfo
        {
            Id = id, Provider = provider, Api = Api, DisplayName = DisplayName, ContextWindow = ContextWindow, MaxOutputTokens = MaxOutputTokens,
            SupportsThinking = SupportsThinking, SupportsXhigh = SupportsXhigh, SupportsTools = SupportsTools, SupportsVision = SupportsVision,
            SupportsCache = SupportsCache, ThinkingBudgets = ThinkingBudgets, Transports = Transports, DefaultCacheRetention = DefaultCacheRetention,
            Pricing = Pricing?.ToPricing(prefix + "pricing."),
        };
    }
}

/// <summary><c>Model.pricing {input_per_1m, output_per_1m, cache_read_per_1m?, cache_write_per_1m?}</c> as written.</summary>
public sealed record ModelPricingEntry
{
    [JsonPropertyName("input_per_1m")] public double? InputPer1M { get; init; }
    [JsonPropertyName("output_per_1m")] public double? OutputPer1M { get; init; }
    [JsonPropertyName("cache_read_per_1m")] public double? CacheReadPer1M { get; init; }
    [JsonPropertyName("cache_write_per_1m")] public double? CacheWritePer1M { get; init; }

    public ModelPricing ToPricing(string prefix) => new()
    {
        InputPer1M = Price(InputPer1M, prefix + "input_per_1m") ?? throw new PayloadValidationException(prefix + "input_per_1m", "is required"),
        OutputPer1M = Price(OutputPer1M, prefix + "output_per_1m") ?? throw new PayloadValidationException(prefix + "output_per_1m", "is required"),
        CacheReadPer1M = Price(CacheReadPer1M, prefix + "cache_read_per_1m"),
        CacheWritePer1M = Price(CacheWritePer1M, prefix + "cache_write_per_1m"),
    };

    private static double? Price(double? value, string field) =>
        value is < 0 || (value is { } v && !double.IsFinite(v)) ? throw new PayloadValidationException(field, "must be a non-negative number") : value;
}

/// <summary><c>models::reconcile {provider, models: Model[]}</c>.</summary>
public sealed record ModelsReconcileRequest
{
    [JsonPropertyName("provider")] public string? Provider { get; init; }
    [JsonPropertyName("models")] public List<JsonElement>? Models { get; init; }
}

/// <summary>Reply of <c>models::register</c>: <c>{key:"models:&lt;provider&gt;:&lt;id&gt;", registered:true}</c>.</summary>
public sealed record ModelRegisterResult
{
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("registered")] public bool Registered { get; init; } = true;
}

/// <summary><c>harness::provider::resolve {provider}</c>.</summary>
public sealed record ProviderResolveRequest
{
    [JsonPropertyName("provider")] public string? Provider { get; init; }
}
