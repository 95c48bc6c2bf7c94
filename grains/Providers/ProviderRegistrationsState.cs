using Harness.Models;
namespace Harness.Providers;

/// <summary>Stored declarations of the providers that registered over the bus, by lower-case id.</summary>
[GenerateSerializer]
public sealed record ProviderRegistrationsState
{
    [Id(0)] public Dictionary<string, ProviderDeclaration> Providers { get; init; } = new(StringComparer.Ordinal);
}
