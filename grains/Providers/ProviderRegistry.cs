namespace Harness.Providers;

/// <summary>Every <see cref="IModelProvider"/> registered in DI at silo start, by case-insensitive name.</summary>
public sealed class ProviderRegistry(IEnumerable<IModelProvider> providers) : IProviderRegistry
{
    private readonly Dictionary<string, IModelProvider> _byName =
        providers.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
                 .ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<IModelProvider> All => _byName.Values;

    public IModelProvider? Find(string name) => _byName.GetValueOrDefault(name);
}
