using System.Text.Json.Nodes;
using Harness.Bridge.Functions.Payloads;
using Harness.Compaction;
using Harness.Models;
using Harness.Providers;
using Harness.Serialization;
using Harness.Turns;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>
/// The model side as bridge functions: provider registry (the console's model picker and "configure provider"),
/// the models catalog and <c>/compact</c> (budgets: <see cref="BudgetBridgeFunctions"/>).
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

        yield return BridgeFunction.Create<ModelQuery, ModelsCatalogList>(
            "models::list",
            "Models in the catalog (filled from each provider's discovery), optionally of one provider.",
            (request, _, _) => Catalog.List(request.Provider));

        yield return BridgeFunction.Create<ModelQuery, ModelInfo?>(
            "models::get",
            "One catalog entry by model id, or null.",
            (request, _, _) => Catalog.Get(Require.NonEmpty(request.Id, "id")),
            requestFormat: BridgeSchemas.For<ModelQuery>().Require("id"),
            responseFormat: BridgeSchemas.OrNull<ModelInfo>());

        yield return BridgeFunction.Create<ModelQuery, ModelsCatalogRefreshResult>(
            "models::refresh",
            "Ask every provider for its models now; a provider that fails keeps its previous entries.",
            (_, _, _) => Catalog.Refresh());

        yield return BridgeFunction.Create<CompactRequest, CompactResult>(
            "context-compaction::compact_now",
            "Summarise a session now (the console's /compact); provider and model default to the session's last run.",
            (request, _, _) => grains.GetGrain<ITurnGrain>(request.Validate()).Compact(request),
            requestFormat: BridgeSchemas.For<CompactRequest>().Require("session_id"));
    }

    private IModelsCatalogGrain Catalog => grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key);
}
