using System.Text.Json.Nodes;
using Harness.Events;
using Harness.Models;

namespace Harness.Bridge.Events;

/// <summary>
/// Models catalog writes → <c>router::models::changed {provider, op}</c>, one per provider whose entries changed
/// (<c>added</c>, <c>updated</c>, <c>removed</c>), for the C4 console's model picker. Session-less: unfiltered bindings only.
/// </summary>
public sealed class RouterModelsChangedListener(IConsoleTriggerPublisher triggers) : IModelsCatalogListener
{
    public void CatalogChanged()
    {
    }

    public void CatalogChanged(IReadOnlyDictionary<string, string> providers)
    {
        foreach (var (provider, op) in providers)
        {
            triggers.Publish(ConsoleTriggerTypes.ModelsChanged, null, new JsonObject { ["provider"] = provider, ["op"] = op });
        }
    }
}
