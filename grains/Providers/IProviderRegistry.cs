using Harness.Models;
namespace Harness.Providers;

/// <summary>
/// The providers a turn can use: the in-process ones and the statically configured bus ones (<see cref="All"/>,
/// fixed at silo start), plus the providers that registered themselves over the bus at runtime
/// (<c>harness::provider::register</c>, kept by <see cref="IProviderRegistrationsGrain"/>). A bus registration takes
/// over a built-in provider of the same name.
/// </summary>
public interface IProviderRegistry
{
    /// <summary>Providers known at silo start (in-process and configured bus providers).</summary>
    IReadOnlyCollection<IModelProvider> All { get; }

    /// <summary>A provider known at silo start, by case-insensitive name.</summary>
    IModelProvider? Find(string name);

    /// <summary>The provider a request for <paramref name="name"/> goes to now: a bus registration first, then <see cref="Find"/>.</summary>
    ValueTask<IModelProvider?> ResolveAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every bus registration, read from the grain (so it is current on every silo).</summary>
    Task<IReadOnlyList<ProviderDeclaration>> RegistrationsAsync(CancellationToken cancellationToken);

    /// <summary>Stores a declaration cluster-wide and makes it routable on this silo at once.</summary>
    Task<ProviderDeclaration> RegisterAsync(ProviderDeclaration declaration, CancellationToken cancellationToken);
}
