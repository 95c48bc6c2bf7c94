namespace Harness.Models;

/// <summary>What a catalog refresh did: <c>{refreshed_at, total, providers:[{provider, ok, count, error?}]}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelsCatalogRefreshResult
{
    /// <summary>Unix milliseconds of the refresh; 0 when the catalog was never refreshed.</summary>
    [Id(0), JsonPropertyName("refreshed_at")] public long RefreshedAt { get; init; }

    /// <summary>Number of catalog entries after the refresh.</summary>
    [Id(1), JsonPropertyName("total")] public int Total { get; init; }

    [Id(2), JsonPropertyName("providers")] public IReadOnlyList<ProviderRefreshStatus> Providers { get; init; } = [];
}
