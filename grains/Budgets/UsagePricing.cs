using Microsoft.Extensions.Options;

namespace Harness.Budgets;

/// <summary>The cost of one model answer: the provider's own <c>cost_usd</c>, else tokens × the configured price.</summary>
public sealed class UsagePricing(IOptionsMonitor<ModelPricingOptions> options)
{
    public double? CostUsd(string model, Usage? usage)
    {
        if (usage is null || usage.CostUsd is not null)
        {
            return usage?.CostUsd;
        }
        if (!options.CurrentValue.Models.TryGetValue(model, out var price))
        {
            return null;
        }
        return ((usage.Input ?? 0) * price.InputPerMillion
                + (usage.Output ?? 0) * price.OutputPerMillion
                + (usage.CacheRead ?? 0) * price.CacheReadPerMillion
                + (usage.CacheWrite ?? 0) * price.CacheWritePerMillion) / 1_000_000d;
    }
}
