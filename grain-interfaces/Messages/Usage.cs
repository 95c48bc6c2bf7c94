namespace Harness.Messages;

/// <summary>Token and cost usage reported by a provider for one assistant message.</summary>
[GenerateSerializer]
public sealed record Usage
{
    [Id(0), JsonPropertyName("input")] public long? Input { get; init; }
    [Id(1), JsonPropertyName("output")] public long? Output { get; init; }
    [Id(2), JsonPropertyName("cache_read")] public long? CacheRead { get; init; }
    [Id(3), JsonPropertyName("cache_write")] public long? CacheWrite { get; init; }
    [Id(4), JsonPropertyName("cost_usd")] public double? CostUsd { get; init; }

    [JsonIgnore] public long TotalTokens => (Input ?? 0) + (Output ?? 0) + (CacheRead ?? 0) + (CacheWrite ?? 0);
}
