namespace Harness.Models;

/// <summary>Stored catalog: entries and last discovery outcome per provider.</summary>
[GenerateSerializer]
public sealed record ModelsCatalogState
{
    [Id(0)] public Dictionary<string, List<ModelInfo>> Models { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    [Id(1)] public Dictionary<string, ProviderRefreshStatus> Status { get; init; } = new(StringComparer.OrdinalIgnoreCase);
    [Id(2)] public long RefreshedAt { get; init; }
}
