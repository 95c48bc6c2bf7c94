using Harness.Bridge.Channels;
using Harness.Bridge.Functions.Payloads;
using Harness.Models;
using Harness.Providers;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>
/// The <c>models-catalog</c> worker (console-and-data §3.3) and each in-process provider's
/// <c>provider::&lt;id&gt;::refresh_models</c> (§3.4). Providers served over the bus (external) register their own
/// refresh function, so none is published for them here.
/// </summary>
/// <remarks>
/// The in-process providers come from DI and the configured bus names from <see cref="IRemoteProviderFactory"/>, not
/// from <see cref="IProviderRegistry.All"/>: building this catalog must not create bus providers, whose client needs the
/// worker connection that is being built from it.
/// </remarks>
public sealed class ModelsCatalogBridgeFunctions(IGrainFactory grains, IEnumerable<IModelProvider> inProcess, IRemoteProviderFactory? remote = null) : IBridgeFunctionSource
{
    private IModelsCatalogGrain Catalog => grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key);

    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<ModelsListRequest, ModelsCatalogList>(
            "models::list",
            "Models in the catalog, optionally of one provider and/or with one capability (thinking, thinking:low|medium|high|xhigh, tools, vision, cache; an unknown capability is ignored).",
            async (request, _, _) =>
            {
                var list = await Catalog.List(request.Provider);
                return ModelCapabilities.IsKnown(request.Capability)
                    ? list with { Models = [.. list.Models.Where(m => ModelCapabilities.Supports(m, request.Capability))] }
                    : list;
            });

        yield return BridgeFunction.Create<ModelLookupRequest, ModelInfo?>(
            "models::get",
            "One catalog entry (a bare Model) by provider and model id, or null.",
            (request, _, _) =>
            {
                var (provider, modelId) = request.Validate();
                return Catalog.Find(provider, modelId);
            },
            requestFormat: LookupSchema("provider", "model_id"),
            responseFormat: BridgeSchemas.OrNull<ModelInfo>());

        yield return BridgeFunction.Create<ModelLookupRequest, ModelSupportsResult>(
            "models::supports",
            "Whether a catalog model has a capability (thinking, thinking:low|medium|high|xhigh, tools, vision, cache); an unknown model is false.",
            async (request, _, _) =>
            {
                var (provider, modelId) = request.Validate();
                Require.OneOf(request.Capability, "capability", [.. ModelCapabilities.All]);
                var model = await Catalog.Find(provider, modelId);
                return new ModelSupportsResult { Supported = model is not null && ModelCapabilities.Supports(model, request.Capability) };
            },
            requestFormat: LookupSchema("provider", "model_id", "capability").Enum("capability", ModelCapabilities.All));

        var busNames = remote?.ConfiguredNames ?? [];
        foreach (var provider in inProcess.Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase)
                     .Where(n => !busNames.Contains(n, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            yield return BridgeFunction.Create<ModelsListRequest, RefreshModelsResult>(
                $"provider::{provider}::refresh_models",
                $"Ask the {provider} provider for its models now and replace its catalog entries (kept when listing fails); answers the ids now listed.",
                async (_, _, _) => new RefreshModelsResult { Registered = await Catalog.RefreshProvider(provider) },
                requestFormat: new JsonObject { ["type"] = "object" });
        }
    }

    private static JsonNode LookupSchema(params string[] required)
    {
        var schema = BridgeSchemas.For<ModelLookupRequest>();
        if (!required.Contains("capability") && schema["properties"] is JsonObject properties)
        {
            properties.Remove("capability");
        }
        return schema.Require(required);
    }
}
