using Harness.Models;

namespace Harness.Providers;

/// <summary>Adds the model ids listed in <see cref="ProviderOptions.Models"/> to what discovery returned.</summary>
internal static class ConfiguredModels
{
    public static IReadOnlyList<ModelInfo> AddTo(List<ModelInfo> discovered, IEnumerable<string> configured, string provider)
    {
        foreach (var id in configured.Where(id => !string.IsNullOrWhiteSpace(id)))
        {
            if (!discovered.Any(m => m.Id == id))
            {
                discovered.Add(new ModelInfo { Id = id, Provider = provider, DisplayName = id, ContextWindow = KnownModelLimits.ContextWindow(id) });
            }
        }
        return discovered;
    }
}
