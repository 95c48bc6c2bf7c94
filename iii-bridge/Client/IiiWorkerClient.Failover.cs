using System.Threading.Channels;
using Harness.Bridge.Functions;
using Harness.Serialization;

namespace Harness.Bridge.Client;

/// <summary>
/// Keeps every id served while any bridge silo is up. The engine (0.22.1, <c>engine/src/engine/mod.rs</c>) routes an
/// id to the worker that registered it last and, when that worker disconnects, removes the id unless another worker
/// claimed it since — the earlier registrant is not remembered. So each bridge silo binds
/// <c>engine::workers-available</c> (fired after the dead worker's ids are gone) to a function of its own, and on
/// <c>worker_disconnected</c> lists the engine's functions and re-registers what it serves and no longer finds there.
/// A periodic check (<see cref="Hosting.IiiBridgeOptions.RegistrationCheckInterval"/>) backs the trigger up.
/// </summary>
public sealed partial class IiiWorkerClient
{
    public const string WorkersAvailableTrigger = "engine::workers-available";

    private static readonly TimeSpan CheckCallTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CheckRetryDelay = TimeSpan.FromSeconds(1);

    private readonly string _failoverHandlerId;
    private readonly Channel<bool> _checkRequests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _republished;

    /// <summary>How many registrations this client re-sent because a sibling's disconnect took them down (diagnostics, tests).</summary>
    public int RepublishedRegistrations => Volatile.Read(ref _republished);

    private void InitializeFailover()
    {
        _primary.AddOwnFunction(new BridgeFunctionDescriptor(
            _failoverHandlerId,
            "Bridge-internal: re-registers this silo's ids when another worker disconnects",
            null,
            null,
            (invocation, _) =>
            {
                OnWorkersChanged(invocation.Data);
                return Task.FromResult(WireJson.Parse("null"));
            })
        {
            Metadata = WireJson.Parse("""{"internal":true}"""),
        });
        _primary.RegisterTrigger(new IiiTriggerRegistration($"bridge-failover-{_failoverHandlerId[^32..]}", WorkersAvailableTrigger, _failoverHandlerId, WireJson.Empty, null));
    }

    private void OnWorkersChanged(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("event", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != "worker_disconnected")
        {
            return;
        }
        var workerId = data.TryGetProperty("worker_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        if (workerId is not null && _connections.Values.Any(c => c.WorkerId == workerId))
        {
            return; // one of ours: it replays its own registrations when it reconnects
        }
        _checkRequests.Writer.TryWrite(true);
    }

    private async Task RunFailoverAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                wait.CancelAfter(_options.RegistrationCheckInterval);
                try
                {
                    await _checkRequests.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // Periodic check.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            if (!await CheckRegistrationsAsync(stoppingToken) && !stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(CheckRetryDelay, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                _checkRequests.Writer.TryWrite(true);
            }
        }
    }

    /// <summary>Re-registers what the engine lost; false when the engine could not be asked (retried shortly).</summary>
    private async Task<bool> CheckRegistrationsAsync(CancellationToken stoppingToken)
    {
        if (!_primary.IsConnected)
        {
            return true; // the connection replays everything when it opens
        }
        try
        {
            var functions = await _primary.InvokeAsync("engine::functions::list", WireJson.Parse("""{"include_internal":true}"""), CheckCallTimeout, null, stoppingToken);
            var registered = Ids(functions, "functions", "function_id");
            var types = _connections.Values.Any(c => c.ProvidesTriggerTypes) ? await TriggerTypesAsync(stoppingToken) : null;
            var count = _connections.Values.Sum(c => c.RepublishMissing(registered, types));
            if (count > 0)
            {
                Interlocked.Add(ref _republished, count);
                LogRepublished(_logger, count);
            }
            return true;
        }
        catch (Exception ex) when (ex is IiiInvocationException or JsonException && !stoppingToken.IsCancellationRequested)
        {
            LogCheckFailed(_logger, ex.Message);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>Trigger type ids the engine lists; null when it cannot tell (then trigger types are left alone).</summary>
    private async Task<HashSet<string>?> TriggerTypesAsync(CancellationToken stoppingToken)
    {
        try
        {
            var triggers = await _primary.InvokeAsync("engine::triggers::list", WireJson.Parse("""{"include_internal":true}"""), CheckCallTimeout, null, stoppingToken);
            return Ids(triggers, "triggers", "id");
        }
        catch (IiiInvocationException ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogCheckFailed(_logger, ex.Message);
            return null;
        }
    }

    private static HashSet<string> Ids(JsonElement listing, string array, string field)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (listing.ValueKind == JsonValueKind.Object && listing.TryGetProperty(array, out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty(field, out var id) && id.ValueKind == JsonValueKind.String)
                {
                    ids.Add(id.GetString()!);
                }
            }
        }
        return ids;
    }

    [LoggerMessage(20, LogLevel.Information, "Re-registered {Count} ids on the iii engine that a disconnected worker took down")]
    private static partial void LogRepublished(ILogger logger, int count);

    [LoggerMessage(21, LogLevel.Warning, "Could not check this silo's registrations on the iii engine: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string reason);
}
