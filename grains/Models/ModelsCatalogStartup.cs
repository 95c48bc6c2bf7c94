using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Harness.Models;

/// <summary>
/// Triggers one catalog refresh when the silo becomes active (when <see cref="ModelsCatalogOptions.RefreshOnStartup"/>).
/// Fire-and-forget: a slow or unreachable provider must not delay silo start; failures are recorded per provider by
/// the catalog itself.
/// </summary>
public sealed partial class ModelsCatalogStartup(
    IGrainFactory grains,
    IOptions<ModelsCatalogOptions> options,
    ILogger<ModelsCatalogStartup> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ModelsCatalogStartup), ServiceLifecycleStage.Active, OnActive);

    private Task OnActive(CancellationToken cancellationToken)
    {
        if (options.Value.RefreshOnStartup)
        {
            _ = RefreshAsync();
        }
        return Task.CompletedTask;
    }

    private async Task RefreshAsync()
    {
        try
        {
            var result = await grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key).Refresh();
            LogRefreshed(logger, result.Total, result.Providers.Count(p => !p.Ok));
        }
        catch (Exception ex)
        {
            LogRefreshFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Models catalog refreshed at silo start: {Total} models, {Failed} providers failed")]
    private static partial void LogRefreshed(ILogger logger, int total, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Models catalog refresh at silo start failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
