namespace Harness.Models;

/// <summary>A model's price in USD per million tokens (§3.3 <c>Model.pricing</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record ModelPricing
{
    [Id(0), JsonPropertyName("input_per_1m")] public double InputPer1M { get; init; }
    [Id(1), JsonPropertyName("output_per_1m")] public double OutputPer1M { get; init; }
    [Id(2), JsonPropertyName("cache_read_per_1m")] public double? CacheReadPer1M { get; init; }
    [Id(3), JsonPropertyName("cache_write_per_1m")] public double? CacheWritePer1M { get; init; }
}
