using Harness.Models;
using Harness.Sessions;
using Harness.Turns;

namespace Harness.Compaction;

/// <summary>The model a compaction uses: provider, id and limits.</summary>
public sealed record ResolvedCompactionModel(string Provider, string Id, ModelLimit Limit);

/// <summary>
/// Spec §3.2 model resolution, first that succeeds: the explicit limit (<c>context &gt; 0</c>; input defaults to context,
/// output to 0), a catalog lookup of the explicit model, the session's last assistant, the session's run request, then
/// the fallback <c>unknown</c> model with a 32000-token window (logged as a warning).
/// </summary>
public sealed partial class CompactionModelResolver(IGrainFactory grains, ILogger<CompactionModelResolver> logger)
{
    public static readonly ModelLimit FallbackLimit = new() { Context = 32_000, Input = 32_000, Output = 4_000 };

    public async Task<ResolvedCompactionModel> ResolveAsync(string sessionId, CompactionModel? requested, SessionWindow window)
    {
        var explicitId = string.IsNullOrEmpty(requested?.Id) ? null : requested.Id;
        var explicitProvider = requested?.ProviderId ?? "";
        if (explicitId is not null && requested!.Limit is { Context: > 0 } limit)
        {
            var input = limit.Input is > 0 ? limit.Input : limit.Context;
            return new(explicitProvider, explicitId, new ModelLimit { Context = limit.Context, Input = input, Output = limit.Output ?? 0 });
        }
        if (explicitId is not null && await LookupAsync(explicitProvider, explicitId) is { } fromCatalog)
        {
            return fromCatalog;
        }
        if (window.Messages.LastOrDefault(m => m.Role == Roles.Assistant && !string.IsNullOrEmpty(m.Model)) is { } last
            && await LookupAsync(last.Provider ?? "", last.Model!) is { } fromAssistant)
        {
            return fromAssistant;
        }
        if (await grains.GetGrain<ITurnGrain>(sessionId).GetRunRequest() is { Model.Length: > 0 } run
            && await LookupAsync(run.Provider, run.Model) is { } fromRun)
        {
            return fromRun;
        }
        LogFallback(logger, sessionId);
        return new(explicitId is null ? "unknown" : explicitProvider, explicitId ?? "unknown", FallbackLimit);
    }

    /// <summary>The catalog entry's window, else the built-in table; null when neither knows the model.</summary>
    private async Task<ResolvedCompactionModel?> LookupAsync(string provider, string id)
    {
        var entry = await grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key).Find(provider, id);
        var context = entry?.ContextWindow is > 0 ? entry.ContextWindow : KnownModelLimits.ContextWindow(id);
        return context is > 0
            ? new(provider, id, new ModelLimit { Context = context, Input = context, Output = entry?.MaxOutputTokens ?? 0 })
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compaction of session {SessionId}: no model limit found, using the 32000-token fallback")]
    private static partial void LogFallback(ILogger logger, string sessionId);
}
