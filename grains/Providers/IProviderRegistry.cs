namespace Harness.Providers;

/// <summary>All providers that registered at silo start, by name.</summary>
public interface IProviderRegistry
{
    IReadOnlyCollection<IModelProvider> All { get; }

    IModelProvider? Find(string name);
}
