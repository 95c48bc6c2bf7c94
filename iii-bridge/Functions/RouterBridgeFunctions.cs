using Harness.Bridge.Functions.Payloads;
using Harness.Models;
using Harness.Providers;

namespace Harness.Bridge.Functions;

/// <summary>
/// The llm-router reads the newest console (C4) calls (console-and-data §1.6 "Models"): <c>router::models::list</c>
/// from the same models catalog as <c>models::list</c>, and <c>router::provider::list</c> from the same provider
/// registry as <c>harness::provider::list</c>, with each provider's key status. Refresh stays
/// <c>provider::&lt;id&gt;::refresh_models</c>.
/// </summary>
public sealed class RouterBridgeFunctions(IGrainFactory grains, ProviderAdmin providers, IProviderRegistry registry) : IBridgeFunctionSource
{
    public static readonly string[] ThinkingEfforts = ["low", "medium", "high"];

    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<EmptyRequest, RouterModelsResult>(
            "router::models::list",
            "Every catalog model: id, provider, display_name, context_window, supports_thinking, supports_vision, reasoning_efforts.",
            async (_, _, _) =>
            {
                var list = await grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key).List(null);
                return new RouterModelsResult { Models = [.. list.Models.Select(Row)] };
            },
            requestFormat: new JsonObject { ["type"] = "object" });

        yield return BridgeFunction.Create<EmptyRequest, RouterProvidersResult>(
            "router::provider::list",
            "Providers the cluster can dispatch to: id, display_name, supports_model_listing, credential_env_var, configured (a key is available), available.",
            async (_, _, ct) =>
            {
                var declared = (await registry.RegistrationsAsync(ct)).ToDictionary(d => d.Id!, StringComparer.OrdinalIgnoreCase);
                var rows = new List<RouterProvider>();
                foreach (var provider in (await providers.ListAsync(ct)).Providers)
                {
                    var status = await providers.StatusAsync(provider.Id, ct);
                    rows.Add(new RouterProvider
                    {
                        Id = provider.Id, DisplayName = provider.DisplayName, SupportsModelListing = provider.SupportsModelListing,
                        CredentialEnvVar = declared.GetValueOrDefault(provider.Id)?.CredentialEnvVar,
                        Configured = status.Configured,
                        Available = registry.Find(provider.Id) is not null || declared.ContainsKey(provider.Id),
                    });
                }
                return new RouterProvidersResult { Providers = rows };
            },
            requestFormat: new JsonObject { ["type"] = "object" });
    }

    public static RouterModel Row(ModelInfo model)
    {
        var thinking = model.SupportsThinking == true;
        return new RouterModel
        {
            Id = model.Id, Provider = model.Provider, DisplayName = model.DisplayName ?? model.Id,
            ContextWindow = model.ContextWindow ?? KnownModelLimits.ContextWindow(model.Id) ?? 0, MaxOutputTokens = model.MaxOutputTokens,
            SupportsThinking = thinking, SupportsVision = model.SupportsVision == true, SupportsTools = model.SupportsTools == true,
            ReasoningEfforts = !thinking ? [] : model.SupportsXhigh == true ? [.. ThinkingEfforts, "xhigh"] : ThinkingEfforts,
        };
    }
}

/// <summary>A request with no fields (<c>{}</c>); anything sent is ignored.</summary>
public sealed record EmptyRequest;
