using System.Collections.Concurrent;
using Harness.Bridge.Functions;
using Harness.Bridge.Hosting;
using Harness.Bridge.Protocol;
using Harness.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Client;

/// <summary>
/// The cluster's presence on the iii engine. Publishes the <see cref="BridgeFunctionCatalog"/> as the TypeScript
/// harness's workers — one <see cref="IiiWorkerConnection"/> per worker name of <see cref="IiiWorkerNames"/>, since
/// the engine shows one name per connection — answers every engine→worker invocation, makes outgoing calls, and
/// reconnects with backoff, replaying every registration with the same ids after each new connection. With several
/// bridge silos it re-registers ids a dead sibling took down (<c>IiiWorkerClient.Failover.cs</c>). Runs as a hosted
/// service; it starts connecting once the host has started (so grains can be called) and only when
/// <see cref="IiiBridgeOptions.EngineUrl"/> is set.
/// </summary>
public sealed partial class IiiWorkerClient : BackgroundService
{
    private readonly IiiBridgeOptions _options;
    private readonly BridgeFunctionCatalog _catalog;
    private readonly ILogger<IiiWorkerClient> _logger;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly TimeProvider _time;
    private readonly IiiWorkerNames _names;
    private readonly IiiWorkerConnection _primary;
    private readonly ConcurrentDictionary<string, IiiWorkerConnection> _connections = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly List<Task> _running = [];
    private CancellationToken _stopping;
    private bool _started;
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
        _time = timeProvider ?? TimeProvider.System;
        _names = new IiiWorkerNames(_options);
        _primary = Connection(_names.HarnessName, _options.WorkerDescription);
        foreach (var function in catalog.All)
        {
            ConnectionFor(function.Id);
        }
        _failoverHandlerId = $"harness::bridge::workers_changed::{Guid.NewGuid():N}";
        if (_options.ReclaimOrphanedIds)
        {
            InitializeFailover();
        }
    }

    /// <summary>Worker id of the <c>harness</c> connection (the one making outgoing calls); null before its first <c>workerregistered</c>.</summary>
    public string? WorkerId => _primary.WorkerId;

    /// <summary>True while the <c>harness</c> connection is open.</summary>
    public bool IsConnected => _primary.IsConnected;

    /// <summary>How many sockets the <c>harness</c> connection has opened so far (1 after the first connect, 2 after a reconnect, …).</summary>
    public int ConnectionCount => _primary.ConnectionCount;

    /// <summary>Worker name → current worker id (null while not registered) of every connection of this client.</summary>
    public IReadOnlyDictionary<string, string?> Workers => _connections.ToDictionary(c => c.Key, c => c.Value.WorkerId, StringComparer.Ordinal);

    /// <summary>The worker name <paramref name="functionId"/> is published under.</summary>
    public string WorkerNameOf(string functionId) => _names.For(functionId);

    /// <summary>The worker id of the connection publishing <paramref name="functionId"/> (null while it is not registered).</summary>
    public string? WorkerIdOf(string functionId) =>
        _connections.TryGetValue(_names.For(functionId), out var connection) ? connection.WorkerId : null;

    /// <summary>Completes with the worker id once the <c>harness</c> connection got its <c>workerregistered</c>.</summary>
    public Task<string> WaitForRegistrationAsync(CancellationToken cancellationToken) => _primary.WaitForRegistrationAsync(cancellationToken);

    /// <summary>Completes once every connection of this client got its <c>workerregistered</c>.</summary>
    public Task WaitForAllRegistrationsAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_connections.Values.Select(c => c.WaitForRegistrationAsync(cancellationToken)));

    /// <summary>
    /// Calls a function on the bus (through the <c>harness</c> connection) and waits for its result. Queued while
    /// disconnected (sent on the next connection); failures throw <see cref="IiiInvocationException"/> with the wire
    /// code: <c>function_not_found</c> (<see cref="IiiErrorCodes.FunctionNotFound"/>: nobody serves the id),
    /// <c>TIMEOUT</c>, <c>connection_lost</c>, or the target's own code.
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
    /// Binds a trigger to a function (ours or anyone's), on the <c>harness</c> connection. The id (random unless
    /// given) is kept and replayed unchanged after every reconnect, as the engine keeps nothing for a dead connection.
    /// </summary>
    public IiiTriggerRegistration RegisterTrigger(string triggerType, string functionId, JsonElement? config = null, JsonElement? metadata = null, string? id = null) =>
        _primary.RegisterTrigger(new IiiTriggerRegistration(id ?? Guid.NewGuid().ToString(), triggerType, functionId, config ?? WireJson.Empty, metadata));

    public bool UnregisterTrigger(string id) => _primary.UnregisterTrigger(id);

    /// <summary>
    /// Declares that this worker provides a trigger type; the engine forwards bindings of it to
    /// <paramref name="handler"/>. The type is provided by the worker its id maps to in <see cref="IiiWorkerNames"/>.
    /// </summary>
    public void RegisterTriggerType(string id, string description, IIiiTriggerTypeHandler handler, JsonNode? triggerRequestFormat = null, JsonNode? callRequestFormat = null) =>
        ConnectionFor(id).RegisterTriggerType(new RegisterTriggerTypeMessage
        {
            Id = id,
            Description = description,
            TriggerRequestFormat = triggerRequestFormat,
            CallRequestFormat = callRequestFormat,
        }, handler);

    /// <summary>Trigger bindings replayed on each connection of the <c>harness</c> worker (diagnostics and tests).</summary>
    public IReadOnlyList<IiiTriggerRegistration> Triggers => _primary.Triggers;

    /// <summary>Drops every socket without a close handshake (tests; operators forcing a reconnect).</summary>
    public void AbortConnection()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Abort();
        }
    }

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
        foreach (var function in _catalog.All)
        {
            ConnectionFor(function.Id);
        }
        lock (_gate)
        {
            _stopping = stoppingToken;
            _started = true;
            foreach (var connection in _connections.Values)
            {
                _running.Add(connection.RunAsync(stoppingToken));
            }
            if (_options.ReclaimOrphanedIds)
            {
                _running.Add(RunFailoverAsync(stoppingToken));
            }
        }
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
        Task[] running;
        lock (_gate)
        {
            running = [.. _running];
        }
        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// Lets running handlers answer (bounded), closes every socket with a close handshake so the engine sees a clean
    /// disconnect, then stops the connection loops and fails calls still waiting.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Unsubscribe();
        await Task.WhenAll(_connections.Values.Select(c => c.CloseAsync(cancellationToken)));
        await base.StopAsync(cancellationToken);
        foreach (var connection in _connections.Values)
        {
            connection.FailPendingCalls();
        }
    }

    private IiiWorkerConnection ConnectionFor(string functionId)
    {
        var (name, description) = _names.Describe(functionId);
        return Connection(name, description);
    }

    /// <summary>The connection named <paramref name="name"/>, created (and started, once the client runs) on first use.</summary>
    private IiiWorkerConnection Connection(string name, string description)
    {
        if (_connections.TryGetValue(name, out var existing))
        {
            return existing;
        }
        lock (_gate)
        {
            if (_connections.TryGetValue(name, out existing))
            {
                return existing;
            }
            var connection = new IiiWorkerConnection(name, description, _options, _catalog, id => _names.For(id) == name, _logger, _time);
            _connections[name] = connection;
            if (_started && !_stopping.IsCancellationRequested)
            {
                _running.Add(connection.RunAsync(_stopping));
            }
            return connection;
        }
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

    private void OnFunctionAdded(BridgeFunctionDescriptor function) => ConnectionFor(function.Id).Publish(function);

    private void OnFunctionRemoved(string functionId) => ConnectionFor(functionId).Unpublish(functionId);

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
