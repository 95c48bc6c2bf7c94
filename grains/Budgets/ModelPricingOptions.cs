namespace Harness.Budgets;

/// <summary>
/// Prices used to turn token usage into <c>cost_usd</c> when a provider reports none, bound from
/// <c>Harness:Pricing</c> as <c>{ "&lt;model id&gt;": { "InputPerMillion": 3.0, "OutputPerMillion": 15.0 } }</c>.
/// Empty by default: prices change, so they are configuration, never baked in.
/// </summary>
public sealed class ModelPricingOptions
{
    public Dictionary<string, ModelPrice> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>USD per million tokens.</summary>
public sealed class ModelPrice
{
    public double InputPerMillion { get; set; }

    public double OutputPerMillion { get; set; }

    public double CacheReadPerMillion { get; set; }

    public double CacheWritePerMillion { get; set; }

    /// <summary>The catalog form (<c>Model.pricing</c>).</summary>
    public Models.ModelPricing ToPricing() => new()
    {
        InputPer1M = InputPerMillion, OutputPer1M = OutputPerMillion, CacheReadPer1M = CacheReadPerMillion, CacheWritePer1M = CacheWritePerMillion,
    };
}
