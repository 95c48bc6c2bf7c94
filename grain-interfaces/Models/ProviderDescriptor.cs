namespace Harness.Models;

/// <summary>One entry of <c>harness::provider::list</c>: <c>{id, display_name, supports_model_listing}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ProviderDescriptor
{
    [Id(0), JsonPropertyName("id")] public required string Id { get; init; }
    [Id(1), JsonPropertyName("display_name")] public required string DisplayName { get; init; }
    [Id(2), JsonPropertyName("supports_model_listing")] public bool SupportsModelListing { get; init; }
}
