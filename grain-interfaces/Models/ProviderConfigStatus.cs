namespace Harness.Models;

/// <summary>What the provider-config grain stores, without the key: whether one is set, the URL and max tokens.</summary>
[GenerateSerializer, Immutable]
public sealed record ProviderConfigStatus
{
    [Id(0), JsonPropertyName("provider")] public required string Provider { get; init; }
    [Id(1), JsonPropertyName("has_api_key")] public bool HasApiKey { get; init; }
    [Id(2), JsonPropertyName("api_url")] public string? ApiUrl { get; init; }
    [Id(3), JsonPropertyName("max_tokens")] public int? MaxTokens { get; init; }

    /// <summary>Unix milliseconds of the last change, 0 when nothing was ever stored.</summary>
    [Id(4), JsonPropertyName("updated_at")] public long UpdatedAt { get; init; }
}
