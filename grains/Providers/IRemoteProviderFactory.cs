namespace Harness.Providers;

/// <summary>
/// Makes providers served outside the cluster (the iii bridge: <c>provider::&lt;name&gt;::stream</c> over an engine
/// channel). Registered only when the bridge is on; <see cref="Create"/> is called lazily, at the first request for a
/// name, so the registry never needs the bus connection while the silo is being built.
/// </summary>
public interface IRemoteProviderFactory
{
    /// <summary>Names configured statically (<c>Harness:Bridge:ExternalProviders</c>), lower-case.</summary>
    IReadOnlyCollection<string> ConfiguredNames { get; }

    IModelProvider Create(string name);
}
