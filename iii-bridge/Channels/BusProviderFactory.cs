using Harness.Bridge.Hosting;
using Harness.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Channels;

/// <summary>
/// Creates <see cref="ExternalModelProvider"/>s for the registry. The <see cref="ExternalProviderClient"/> (and with it
/// the worker client) is resolved at the first <see cref="Create"/>, not when the registry is built: the worker client
/// needs the function catalog, the catalog needs the provider functions and they need the registry, so an eager
/// dependency here closes a cycle that deadlocked silo start (a configured external provider hung the silo).
/// </summary>
public sealed class BusProviderFactory(IServiceProvider services, IOptions<IiiBridgeOptions> options) : IRemoteProviderFactory
{
    public IReadOnlyCollection<string> ConfiguredNames { get; } =
        [.. options.Value.ExternalProviders.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim().ToLowerInvariant()).Distinct()];

    public IModelProvider Create(string name) => new ExternalModelProvider(name, services.GetRequiredService<ExternalProviderClient>());
}
