namespace Harness.Models;

/// <summary>
/// Reply of <c>harness::provider::configure</c> (and of the status query): whether the provider has a key and where it
/// comes from. Never carries the key itself.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProviderConfigureResult
{
    [Id(0), JsonPropertyName("ok")] public bool Ok { get; init; } = true;
    [Id(1), JsonPropertyName("provider")] public required string Provider { get; init; }

    /// <summary>True when a key is available (or the provider needs none).</summary>
    [Id(2), JsonPropertyName("configured")] public bool Configured { get; init; }

    /// <summary>One of <see cref="ProviderKeySources"/>, or null when no key is set.</summary>
    [Id(3), JsonPropertyName("source")] public string? Source { get; init; }

    /// <summary>The base URL the provider calls (stored, configured or default).</summary>
    [Id(4), JsonPropertyName("api_url")] public string? ApiUrl { get; init; }

    /// <summary>Max output tokens when user-configured (stored or configuration), else null.</summary>
    [Id(5), JsonPropertyName("max_tokens")] public int? MaxTokens { get; init; }
}
