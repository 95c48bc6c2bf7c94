using Harness.Models;
using Harness.Providers;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>
/// Refuses a run for a model its provider does not serve, before anything is stored. A provider "lists models" when
/// the models catalog holds entries for it; one with none (cannot list, never discovered, discovery failing) accepts
/// any model. A miss in the catalog is checked once against the provider itself (the catalog may predate the model),
/// and a listed dated id counts for its alias (<c>claude-sonnet-4-5</c> for <c>claude-sonnet-4-5-20250929</c>, also
/// <c>…-latest</c>).
/// </summary>
public static class KnownModelCheck
{
    /// <summary>Bound of the live re-check; past it the model is accepted (the run then fails or works on its own).</summary>
    public static readonly TimeSpan LiveListTimeout = TimeSpan.FromSeconds(10);

    public static async Task RequireAsync(IGrainFactory grains, IModelProvider provider, string model)
    {
        var listed = (await grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key).List(provider.Name)).Models.Select(m => m.Id).ToList();
        if (listed.Count == 0 || Serves(listed, model))
        {
            return;
        }
        IReadOnlyList<ModelInfo> live;
        try
        {
            using var timeout = new CancellationTokenSource(LiveListTimeout);
            live = await provider.ListModelsAsync(timeout.Token);
        }
        catch (Exception)
        {
            return;  // cannot list now: do not refuse on a stale catalog
        }
        var ids = live.Select(m => m.Id).ToList();
        if (ids.Count == 0 || Serves(ids, model))
        {
            return;
        }
        var shown = string.Join(", ", ids.Order(StringComparer.Ordinal).Take(12)) + (ids.Count > 12 ? $", … ({ids.Count} in all; models::list)" : "");
        throw new PayloadValidationException("model", $"'{model}' is not a model of provider '{provider.Name}' (it lists: {shown})");
    }

    internal static bool Serves(IReadOnlyCollection<string> ids, string model)
    {
        var alias = model.EndsWith("-latest", StringComparison.Ordinal) ? model[..^"-latest".Length] : model;
        return ids.Any(id => id == model || id.StartsWith(alias + "-", StringComparison.Ordinal));
    }
}
