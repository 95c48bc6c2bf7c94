using System.Text.Json.Nodes;
using Harness.Bridge.Functions.Payloads;
using Harness.Models;
using Harness.Providers;
using Harness.Serialization;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>
/// The model side as bridge functions: provider registry (the console's model picker and "configure provider"),
/// the models catalog's refresh (catalog reads:
/// <see cref="ModelsCatalogBridgeFunctions"/>; budgets: <see cref="BudgetBridgeFunctions"/>; /compact: <see cref="CompactionBridgeFunctions"/>).
/// </summary>
public sealed class ModelBridgeFunctions(IGrainFactory grains, ProviderAdmin providers) : IBridgeFunctionSource
{
    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<ModelQuery, ProviderListResult>(
            "harness::provider::list",
            "Providers registered in the cluster: id, display_name, supports_model_listing.",
            (_, _, ct) => providers.ListAsync(ct));

        yield return BridgeFunction.Create<ProviderConfigureRequest, ProviderConfigureResult>(
            "harness::provider::configure",
            "Store a provider's api_key / api_url / max_tokens at runtime (the reply never contains the key).",
            (request, _, ct) => providers.ConfigureAsync(request, ct),
            requestFormat: BridgeSchemas.For<ProviderConfigureRequest>().Require("provider"));

        yield return BridgeFunction.Create<ModelQuery, ModelsCatalogRefreshResult>(
            "models::refresh",
            "Ask every provider for its models now; a provider that fails keeps its previous entries.",
            (_, _, _) => Catalog.Refresh());
    }

    private IModelsCatalogGrain Catalog => grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key);
}
