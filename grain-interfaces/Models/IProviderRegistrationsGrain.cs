using Orleans.Concurrency;

namespace Harness.Models;

/// <summary>
/// The providers that declared themselves over the bus (<c>harness::provider::register</c>): one durable, cluster-wide
/// list (singleton key <see cref="Key"/>), so a registration made through any silo is seen by all and survives restarts.
/// </summary>
public interface IProviderRegistrationsGrain : IGrainWithStringKey
{
    /// <summary>The one key this grain is used with.</summary>
    const string Key = "providers";

    /// <summary>Stores (or replaces) a validated declaration; returns it as stored.</summary>
    Task<ProviderDeclaration> Register(ProviderDeclaration declaration);

    /// <summary>Every declaration, sorted by id.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<ProviderDeclaration>> List();
}
