using Harness.Hosting;
using Harness.Providers;
using Microsoft.Extensions.Options;

namespace Harness.Models;

/// <summary>
/// The models catalog (singleton key <see cref="IModelsCatalogGrain.Key"/>). <see cref="Refresh"/> asks all providers
/// in parallel, each bounded by <see cref="ModelsCatalogOptions.ProviderTimeout"/>; the new state replaces the old one
/// in a single assignment, so the interleaving reads never see a half-built catalog.
/// </summary>
[GrainType("models-catalog")]
public sealed partial class ModelsCatalogGrain(
    [PersistentState("models-catalog", HarnessStorage.Name)] IPersistentState<ModelsCatalogState> state,
    IProviderRegistry registry,
    IOptions<ModelsCatalogOptions> options,
    IOptionsMonitor<Budgets.ModelPricingOptions> pricing,
    IEnumerable<IModelsCatalogListener> listeners,
    TimeProvider time,
    ILogger<ModelsCatalogGrain> logger) : Grain, IModelsCatalogGrain
{
    public async Task<ModelsCatalogRefreshResult> Refresh()
    {
        // Bus providers write their own entries (models::reconcile / register); a refresh keeps those of providers it did not ask.
        var outcomes = await Task.WhenAll(registry.All.Where(p => p is not IBusModelProvider).Select(Discover));
        await SaveAsync(Merge(state.State, outcomes));
        return Summary();
    }

    public async Task<IReadOnlyList<string>> RefreshProvider(string provider)
    {
        var target = registry.Find(provider)
            ?? throw new Validation.PayloadValidationException("provider", $"unknown provider '{provider}'");
        var outcome = await Discover(target);
        await SaveAsync(Merge(state.State, [outcome]));
        return outcome.Models is null ? [] : [.. state.State.Models.GetValueOrDefault(target.Name)?.Select(m => m.Id) ?? []];
    }

    /// <summary>Every catalog write goes through here, so each change reaches the listeners (ui::models::changed).</summary>
    private async Task SaveAsync(ModelsCatalogState next)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;  // never serve what storage does not hold
            throw;
        }
        var changed = ChangedProviders(previous, next);
        foreach (var listener in listeners)
        {
            try
            {
                listener.CatalogChanged(changed);
            }
            catch (Exception ex)
            {
                LogListenerFailed(logger, ex);
            }
        }
    }

    /// <summary>Providers whose entries differ between two catalog states, and how (added, updated, removed).</summary>
    private static Dictionary<string, string> ChangedProviders(ModelsCatalogState previous, ModelsCatalogState next)
    {
        var changed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in previous.Models.Keys.Union(next.Models.Keys, StringComparer.OrdinalIgnoreCase))
        {
            var before = previous.Models.GetValueOrDefault(provider) ?? [];
            var after = next.Models.GetValueOrDefault(provider) ?? [];
            // Compared as JSON: record equality would compare the transports lists by reference.
            if (JsonSerializer.Serialize(before) != JsonSerializer.Serialize(after))
            {
                changed[provider] = before.Count == 0 ? "added" : after.Count == 0 ? "removed" : "updated";
            }
        }
        return changed;
    }

    /// <summary>
    /// The next state from discovery outcomes: a provider that listed replaces its entries, one that failed keeps them,
    /// and providers not in <paramref name="outcomes"/> keep theirs.
    /// </summary>
    private ModelsCatalogState Merge(ModelsCatalogState previous, IEnumerable<(string Provider, IReadOnlyList<ModelInfo>? Models, string? Error)> outcomes)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var models = new Dictionary<string, List<ModelInfo>>(previous.Models, StringComparer.OrdinalIgnoreCase);
        var status = new Dictionary<string, ProviderRefreshStatus>(previous.Status, StringComparer.OrdinalIgnoreCase);
        foreach (var (provider, listed, error) in outcomes)
        {
            if (listed is not null)
            {
                models[provider] = listed.DistinctBy(m => m.Id).Select(m => KnownModelCapabilities.Apply(m with { Provider = provider })).ToList();
                status[provider] = new ProviderRefreshStatus { Provider = provider, Ok = true, Count = models[provider].Count, LastSuccessAt = now };
            }
            else
            {
                // A failing provider keeps what it listed last time.
                var kept = previous.Models.GetValueOrDefault(provider) ?? [];
                models[provider] = kept;
                status[provider] = new ProviderRefreshStatus
                {
                    Provider = provider,
                    Ok = false,
                    Count = kept.Count,
                    Error = error,
                    LastSuccessAt = previous.Status.GetValueOrDefault(provider)?.LastSuccessAt,
                };
            }
        }
        return new ModelsCatalogState { Models = models, Status = status, RefreshedAt = now };
    }

    public async Task<ModelsReconcileResult> Reconcile(string provider, IReadOnlyList<ModelInfo> models)
    {
        var entries = models.DistinctBy(m => m.Id).Select(m => m with { Provider = provider }).ToList();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await SaveAsync(state.State with
        {
            Models = new(state.State.Models, StringComparer.OrdinalIgnoreCase) { [provider] = entries },
            Status = new(state.State.Status, StringComparer.OrdinalIgnoreCase)
            {
                [provider] = new ProviderRefreshStatus { Provider = provider, Ok = true, Count = entries.Count, LastSuccessAt = now },
            },
        });
        return new ModelsReconcileResult { Provider = provider, Count = entries.Count, Ids = [.. entries.Select(m => m.Id)] };
    }

    public async Task Register(ModelInfo model)
    {
        var entries = (state.State.Models.GetValueOrDefault(model.Provider) ?? []).Where(m => m.Id != model.Id).Append(model).ToList();
        await SaveAsync(state.State with { Models = new(state.State.Models, StringComparer.OrdinalIgnoreCase) { [model.Provider] = entries } });
    }


    public Task<ModelsCatalogList> List(string? provider)
    {
        var entries = string.IsNullOrEmpty(provider)
            ? state.State.Models.Values.SelectMany(m => m)
            : state.State.Models.GetValueOrDefault(provider) ?? [];
        return Task.FromResult(new ModelsCatalogList { Models = [.. Sorted(entries).Select(m => Priced(m)!)] });
    }

    public Task<ModelInfo?> Get(string id) =>
        Task.FromResult(Priced(Sorted(state.State.Models.Values.SelectMany(m => m)).FirstOrDefault(m => m.Id == id)));

    public Task<ModelInfo?> Find(string provider, string id) =>
        string.IsNullOrEmpty(provider)
            ? Get(id)
            : Task.FromResult(Priced((state.State.Models.GetValueOrDefault(provider) ?? []).FirstOrDefault(m => m.Id == id)));

    /// <summary>
    /// An entry without a price of its own shows the one configured for its id (<c>Harness:Pricing</c>, the price
    /// budgets charge with); applied on read, so a configuration change shows without a refresh.
    /// </summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(model))]
    private ModelInfo? Priced(ModelInfo? model) =>
        model is { Pricing: null } && pricing.CurrentValue.Models.TryGetValue(model.Id, out var price)
            ? model with { Pricing = price.ToPricing() }
            : model;

    public Task<ModelsCatalogRefreshResult> Status() => Task.FromResult(Summary());

    private async Task<(string Provider, IReadOnlyList<ModelInfo>? Models, string? Error)> Discover(IModelProvider provider)
    {
        using var timeout = new CancellationTokenSource(options.Value.ProviderTimeout);
        try
        {
            var models = await provider.ListModelsAsync(timeout.Token);
            return (provider.Name, models, null);
        }
        catch (Exception ex)
        {
            var error = ex is OperationCanceledException && timeout.IsCancellationRequested
                ? $"timed out after {options.Value.ProviderTimeout.TotalSeconds:0.#} s"
                : ex.Message;
            LogDiscoveryFailed(logger, provider.Name, error);
            return (provider.Name, null, error);
        }
    }

    private ModelsCatalogRefreshResult Summary() => new()
    {
        RefreshedAt = state.State.RefreshedAt,
        Total = state.State.Models.Values.Sum(m => m.Count),
        Providers = state.State.Status.Values.OrderBy(s => s.Provider, StringComparer.Ordinal).ToList(),
    };

    private static List<ModelInfo> Sorted(IEnumerable<ModelInfo> entries) =>
        entries.OrderBy(m => m.Provider, StringComparer.Ordinal).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A models-catalog listener failed")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model discovery of provider {Provider} failed: {Error}")]
    private static partial void LogDiscoveryFailed(ILogger logger, string provider, string error);
}
