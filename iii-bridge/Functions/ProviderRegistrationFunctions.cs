using Harness.Bridge.Functions.Payloads;
using Harness.Models;
using Harness.Providers;
using Harness.Serialization;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>
/// What a provider worker on the bus calls (console-and-data §3.3, §3.4): <c>harness::provider::register</c> to join
/// the registry (durable, cluster-wide; turns route to its <c>provider::&lt;id&gt;::stream</c> at once),
/// <c>harness::provider::resolve</c> for its key (handed out only with <c>Harness:ProviderRegistry:ServeCredentials</c>),
/// and <c>models::register</c> / <c>models::reconcile</c> to write its models into the catalog. Agents are refused
/// register and resolve by the approval gate's kernel rules.
/// </summary>
public sealed class ProviderRegistrationFunctions(IGrainFactory grains, ProviderAdmin providers, HarnessConfigurationPublisher configuration) : IBridgeFunctionSource
{
    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<ProviderDeclaration, ProviderRegisterResult>(
            "harness::provider::register",
            "A provider worker declares itself {id, display_name?, credential_env_var?, config_schema?, defaults?, supports_model_listing?}; from then on turns with that provider call provider::<id>::stream, and the engine configuration entry 'harness' is re-registered with every provider's config schema.",
            async (request, _, ct) =>
            {
                var registered = await providers.RegisterAsync(request, ct);
                await configuration.PublishAsync(ct);
                return registered;
            },
            requestFormat: DeclarationSchema());

        yield return BridgeFunction.Create<ProviderResolveRequest, ProviderResolveResult>(
            "harness::provider::resolve",
            "A provider's connection: {configured, source, credential:{type:\"api_key\", key}|null, api_url, max_tokens}. The key is served only when the silo opts in (Harness:ProviderRegistry:ServeCredentials).",
            (request, _, ct) => providers.ResolveAsync(request.Provider, ct),
            requestFormat: BridgeSchemas.For<ProviderResolveRequest>().Require("provider"));

        yield return BridgeFunction.Create<ModelEntryRequest, ModelRegisterResult>(
            "models::register",
            "Add or replace one Model {id, provider, api?, display_name?, context_window?, max_output_tokens?, supports_*?, thinking_budgets?, transports?, default_cache_retention?, pricing?} in the catalog.",
            async (request, _, _) =>
            {
                var model = request.ToModel(Require.Key(request.Provider, "provider").ToLowerInvariant());
                await Catalog.Register(model);
                return new ModelRegisterResult { Key = $"models:{model.Provider}:{model.Id}" };
            },
            requestFormat: ModelEntrySchema().Require("id", "provider"));

        yield return BridgeFunction.Create<ModelsReconcileRequest, ModelsReconcileResult>(
            "models::reconcile",
            "Replace every catalog entry of a provider with models[] (entries without a string id are dropped; an entry naming another provider is refused).",
            (request, _, _) =>
            {
                var provider = Require.Key(request.Provider, "provider").ToLowerInvariant();
                var models = request.Models ?? throw new PayloadValidationException("models", "is required and must be an array");
                return Catalog.Reconcile(provider, [.. Entries(provider, models)]);
            },
            requestFormat: BridgeSchemas.For<ModelsReconcileRequest>()
                .Property("models", new JsonObject { ["type"] = "array", ["items"] = ModelEntrySchema() })
                .Require("provider", "models"));
    }

    /// <summary>The declaration's schema without <c>registered_at</c>, which the registry sets.</summary>
    private static JsonNode DeclarationSchema()
    {
        var schema = BridgeSchemas.For<ProviderDeclaration>();
        (schema["properties"] as JsonObject)?.Remove("registered_at");
        return schema.Require("id");
    }

    /// <summary>A Model as written, with the enums and the pricing fields validation requires.</summary>
    internal static JsonNode ModelEntrySchema()
    {
        var schema = BridgeSchemas.For<ModelEntryRequest>().Enum("default_cache_retention", ModelInfo.CacheRetentions);
        if (schema["properties"]?["transports"]?["items"] is JsonObject transport)
        {
            transport["enum"] = new JsonArray([.. ModelInfo.TransportNames.Select(t => (JsonNode)t)]);
        }
        schema["properties"]?["pricing"]?.Require("input_per_1m", "output_per_1m");
        return schema;
    }

    private IModelsCatalogGrain Catalog => grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key);

    private static IEnumerable<ModelInfo> Entries(string provider, List<JsonElement> models)
    {
        for (var i = 0; i < models.Count; i++)
        {
            var item = models[i];
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                continue;
            }
            ModelEntryRequest entry;
            try
            {
                entry = item.Deserialize<ModelEntryRequest>(WireJson.Options)!;
            }
            catch (JsonException ex)
            {
                throw new PayloadValidationException($"models[{i}].{BridgePayload.FieldFromPath(ex.Path)}", ex.Message.Split(" Path: ")[0]);
            }
            if (entry.Provider is { } named && !string.Equals(named, provider, StringComparison.OrdinalIgnoreCase))
            {
                throw new PayloadValidationException($"models[{i}].provider", $"is '{named}' but the request reconciles '{provider}'");
            }
            yield return entry.ToModel(provider, $"models[{i}].");
        }
    }
}
