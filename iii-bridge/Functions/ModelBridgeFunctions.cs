using System.Text.Json.Nodes;
using Harness.Bridge.Functions.Payloads;
using Harness.Budgets;
using Harness.Models;
using Harness.Providers;
using Harness.Serialization;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>
/// The model side as bridge functions: provider registry (the console's model picker and "configure provider"),
/// the models catalog, and budgets. Budget payloads are the grain records plus <c>budget_id</c>.
/// </summary>
public sealed class ModelBridgeFunctions(IGrainFactory grains, ProviderAdmin providers) : IBridgeFunctionSource
{
    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<ModelQuery, ProviderListResult>(
            "harness::provider::list",
            "Providers registered in the cluster: id, display_name, supports_model_listing.",
            (_, _, _) => Task.FromResult(providers.List()));

        yield return BridgeFunction.Create<ProviderConfigureRequest, ProviderConfigureResult>(
            "harness::provider::configure",
            "Store a provider's api_key / api_url / max_tokens at runtime (the reply never contains the key).",
            (request, _, ct) => providers.ConfigureAsync(request, ct));

        yield return BridgeFunction.Create<ModelQuery, ModelsCatalogRefreshResult>(
            "models::refresh",
            "Ask every provider for its models now; a provider that fails keeps its previous entries.",
            (_, _, _) => Catalog.Refresh());

        yield return Budget<BudgetConfig, BudgetView>("budget::configure", "Create or replace a budget's caps (tokens and/or cost_usd per period).",
            (grain, request) => { request.Validate(); return grain.Configure(request); });
        yield return Budget<BudgetCheckRequest, BudgetCheckResult>("budget::check", "Would a call of the estimated size fit the budget? (read-only)",
            (grain, request) => { request.Validate(); return grain.Check(request); });
        yield return Budget<BudgetCheckRequest, BudgetCheckResult>("budget::reserve", "Check and hold the estimate until budget::record settles it.",
            (grain, request) => { request.Validate(); return grain.Reserve(request); });
        yield return Budget<BudgetRecordRequest, BudgetRecordResult>("budget::record", "Record actual spend (idempotent by record_id).",
            (grain, request) => { request.Validate(); return grain.Record(request); });
        yield return Budget<ModelQuery, BudgetView?>("budget::get", "A budget with its counters, or null.",
            (grain, _) => grain.Get());
    }

    private IModelsCatalogGrain Catalog => grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key);

    private BridgeFunctionDescriptor Budget<TRequest, TResponse>(string id, string description, Func<IBudgetGrain, TRequest, Task<TResponse>> call)
        where TRequest : class
    {
        var schema = BridgeSchemas.For<TRequest>().DeepClone().AsObject();
        if (schema["properties"] is JsonObject properties)
        {
            properties["budget_id"] = new JsonObject { ["type"] = "string", ["description"] = "workspace:<id> or agent:<id>" };
        }
        schema["required"] = new JsonArray("budget_id");
        return BridgeFunction.Create<TRequest, TResponse>(id, description, (request, invocation, _) =>
        {
            var budgetId = invocation.Data.ValueKind == JsonValueKind.Object && invocation.Data.TryGetProperty("budget_id", out var b) && b.ValueKind == JsonValueKind.String
                ? b.GetString() : null;
            return call(grains.GetGrain<IBudgetGrain>(Require.NonEmpty(budgetId, "budget_id")), request);
        }, requestFormat: schema);
    }
}
