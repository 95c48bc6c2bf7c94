namespace Harness.Models;

/// <summary>Reply of <c>harness::provider::list</c>: <c>{providers:[{id, display_name, supports_model_listing}]}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ProviderListResult
{
    [Id(0), JsonPropertyName("providers")] public IReadOnlyList<ProviderDescriptor> Providers { get; init; } = [];
}
