using Harness.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Harness.Bridge.Client;
using Harness.Models;
using Harness.Providers;

namespace Harness.Bridge.Functions;

/// <summary>
/// (Re-)registers the engine configuration entry <c>harness</c> with the schema composed from every provider
/// (<see cref="HarnessConfigurationSchema"/>), as the original registry does on each <c>harness::provider::register</c>:
/// the value the engine holds is kept (it is seeded only when there is none). Publishes are serialised, so two
/// declarations arriving together cannot write an older composition last. Best effort: an engine without the
/// <c>configuration</c> worker costs a warning, never the registration.
/// </summary>
public sealed partial class HarnessConfigurationPublisher(
    IServiceProvider services,
    IGrainFactory grains,
    IProviderRegistry registry,
    ILogger<HarnessConfigurationPublisher> logger)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Resolved on use: the client is built from the function catalog, which holds the register function.</summary>
    private IiiWorkerClient Client => services.GetRequiredService<IiiWorkerClient>();

    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Composed inside the gate from the durable list, so the last write holds every declaration stored so far.
            var declared = await grains.GetGrain<IProviderRegistrationsGrain>(IProviderRegistrationsGrain.Key).List();
            var builtIn = registry.All.Where(p => p is not IBusModelProvider).Select(p => p.Name);
            var entry = new JsonObject
            {
                ["id"] = HarnessConfigurationSchema.EntryId,
                ["name"] = HarnessConfigurationSchema.EntryId,
                ["description"] = HarnessConfigurationSchema.EntryDescription,
                ["schema"] = HarnessConfigurationSchema.Compose(declared, builtIn),
            };
            if (!await HasValueAsync(cancellationToken))
            {
                entry["initial_value"] = HarnessConfigurationSchema.InitialValue();
            }
            await Client.InvokeAsync("configuration::register", WireJson.ToElement(entry), CallTimeout, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPublishFailed(logger, ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether the engine already holds a value for the entry (read raw, so placeholders are not expanded).</summary>
    private async Task<bool> HasValueAsync(CancellationToken cancellationToken)
    {
        var payload = WireJson.ToElement(new JsonObject { ["id"] = HarnessConfigurationSchema.EntryId, ["raw"] = true });
        try
        {
            var existing = await Client.InvokeAsync("configuration::get", payload, CallTimeout, cancellationToken: cancellationToken);
            return existing.ValueKind == JsonValueKind.Object && existing.TryGetProperty("value", out var value) && value.ValueKind != JsonValueKind.Null;
        }
        catch (IiiInvocationException)
        {
            return false;  // no entry yet (or no configuration worker): seed it
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "configuration::register of the harness entry failed: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, string reason);
}
