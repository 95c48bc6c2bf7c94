namespace Harness.Models;

/// <summary>Reply of a catalog listing: <c>{models:[ModelInfo]}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelsCatalogList
{
    [Id(0), JsonPropertyName("models")] public IReadOnlyList<ModelInfo> Models { get; init; } = [];
}
