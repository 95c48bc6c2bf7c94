using Harness.Bridge.Functions;
using Harness.Bridge.Hosting;
using Harness.Bridge.Protocol;
using Harness.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Client;

/// <summary>
/// The cluster's presence on the iii engine as a worker. Publishes the <see cref="BridgeFunctionCatalog"/>, answers
/// every engine→worker invocation, makes outgoing calls, and reconnects with backoff, replaying every registration
/// with the same ids after each new connection (<see cref="IiiWorkerConnection"/>). Runs as a hosted service; it
/// starts connecting once the host has started (so grains can be called) and only when
/// <see cref="IiiBridgeOptions.EngineUrl"/> is set.
/// </summary>
public sealed partial class IiiWorkerClient : BackgroundService
{
    private readonly IiiBridgeOptions _options;
    private readonly BridgeFunctionCatalog _catalog;
    private readonly ILogger<IiiWorkerClient> _logger;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly IiiWorkerConnection _primary;
    private readonly Lock _gate = new();
    private bool _subscribed;

    public IiiWorkerClient(
        IOptions<IiiBridgeOptions> options,
        BridgeFunctionCatalog catalog,
        ILogger<IiiWorkerClient> logger,
        TimeProvider? timeProvider = null,
        IHostApplicationLifetime? lifetime = null)
    {
        _options = options.Value;
        _catalog = catalog;
        _logger = logger;
        _lifetime = lifetime;
        _primary = new IiiWorkerConnection(
            _options.WorkerName, _options.WorkerDescription, _options, catalog, _ => true, logger, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Worker id of the current (or last) connection; null before the first <c>workerregistered</c>.</summary>
    public string? WorkerId => _primary.WorkerId;

    /// <summary>True while a socket is open and its registrations are queued.</summary>
    public bool IsConnected => _primary.IsConnected;

    /// <summary>How many connections have been opened so far (1 after the first connect, 2 after a reconnect, …).</summary>
    public int ConnectionCount => _primary.ConnectionCount;

    /// <summary>Completes with the worker id once the current connection got its <c>workerregistered</c>.</summary>
    public Task<string> WaitForRegistrationAsync(CancellationToken cancellationToken) => _primary.WaitForRegistrationAsync(cancellationToken);

    /// <summary>
    /// Calls a function on the bus and waits for its result. Queued while disconnected (sent on the next connection);
    /// failures throw <see cref="IiiInvocationException"/> with the wire code (<c>function_not_found</c>,
    /// <c>TIMEOUT</c>, <c>connection_lost</c>, the target's own code, …).
    /// </summary>
    public Task<JsonElement> InvokeAsync(
        string functionId,
        JsonElement? payload,
        TimeSpan? timeout = null,
        JsonElement? metadata = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionId);
        return _primary.InvokeAsync(functionId, payload, timeout ?? _options.InvocationTimeout, metadata, cancellationToken);
    }

    /// <summary>Typed convenience over <see cref="InvokeAsync(string, JsonElement?, TimeSpan?, JsonElement?, CancellationToken)"/>.</summary>
    public async Task<TResult?> InvokeAsync<TPayload, TResult>(string functionId, TPayload payload, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var result = await InvokeAsync(functionId, WireJson.ToElement(payload), timeout, null, cancellationToken);
        return WireJson.Deserialize<TResult>(result);
    }

    /// <summary>Fire-and-forget call (<c>action: void</c>): no invocation id, no reply. Kept (bounded) while disconnected.</summary>
    public void InvokeVoid(string functionId, JsonElement? payload, JsonElement? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionId);
        _primary.InvokeVoid(functionId, payload, metadata);
    }

    /// <summary>
    /// Binds a trigger to a function (ours or anyone's). The id (random unless given) is kept and replayed unchanged
    /// after every reconnect, as the engine keeps nothing for a dead connection.
    /// </summary>
    public IiiTriggerRegistration RegisterTrigger(string triggerType, string functionId, JsonElement? config = null, JsonElement? metadata = null, string? id = null) =>
        _primary.RegisterTrigger(new IiiTriggerRegistration(id ?? Guid.NewGuid().ToString(), triggerType, functionId, config ?? WireJson.Empty, metadata));

    public bool UnregisterTrigger(string id) => _primary.UnregisterTrigger(id);

    /// <summary>Declares that this worker provides a trigger type; the engine forwards bindings of it to <paramref name="handler"/>.</summary>
    public void RegisterTriggerType(string id, string description, IIiiTriggerTypeHandler handler, JsonNode? triggerRequestFormat = null, JsonNode? callRequestFormat = null) =>
        _primary.RegisterTriggerType(new RegisterTriggerTypeMessage
        {
            Id = id,
            Description = description,
            TriggerRequestFormat = triggerRequestFormat,
            CallRequestFormat = callRequestFormat,
        }, handler);

    /// <summary>Registrations currently replayed on each connection (for diagnostics and tests).</summary>
    public IReadOnlyList<IiiTriggerRegistration> Triggers => _primary.Triggers;

    /// <summary>Drops the current socket without a close handshake (tests; operators forcing a reconnect).</summary>
    public void AbortConnection() => _primary.Abort();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled(_logger);
            return;
        }
        Subscribe();
        if (_lifetime is not null)
        {
            // Grains must be callable before the engine can route invocations to us.
            await WaitForStartAsync(_lifetime, stoppingToken);
        }
        await _primary.RunAsync(stoppingToken);
    }

    /// <summary>
    /// Lets running handlers answer (bounded), closes the socket with a close handshake so the engine sees a clean
    /// disconnect, then stops the connection loop and fails calls still waiting.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Unsubscribe();
        await _primary.CloseAsync(cancellationToken);
        await base.StopAsync(cancellationToken);
        _primary.FailPendingCalls();
    }

    /// <summary>Function ids added after the first connect are published on the live socket right away.</summary>
    private void Subscribe()
    {
        lock (_gate)
        {
            if (_subscribed)
            {
                return;
            }
            _subscribed = true;
        }
        _catalog.Added += OnFunctionAdded;
        _catalog.Removed += OnFunctionRemoved;
    }

    private void Unsubscribe()
    {
        _catalog.Added -= OnFunctionAdded;
        _catalog.Removed -= OnFunctionRemoved;
    }

    private void OnFunctionAdded(BridgeFunctionDescriptor function) => _primary.Publish(function);

    private void OnFunctionRemoved(string functionId) => _primary.Unpublish(functionId);

    private static async Task WaitForStartAsync(IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        if (lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return;
        }
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    [LoggerMessage(1, LogLevel.Information, "iii bridge is off (Harness:Bridge:EngineUrl is not set)")]
    private static partial void LogDisabled(ILogger logger);
}
