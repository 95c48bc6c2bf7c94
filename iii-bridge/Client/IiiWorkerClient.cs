using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Reflection;
using System.Runtime.InteropServices;
using Harness.Bridge.Functions;
using Harness.Bridge.Hosting;
using Harness.Bridge.Protocol;
using Harness.Serialization;
using Harness.Validation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Client;

/// <summary>
/// The cluster's connection to the iii engine as a worker. Publishes the <see cref="BridgeFunctionCatalog"/>, answers
/// every engine→worker invocation, makes outgoing calls, and reconnects with backoff, replaying every registration
/// with the same ids after each new connection. Runs as a hosted service; it starts connecting once the host has
/// started (so grains can be called) and only when <see cref="IiiBridgeOptions.EngineUrl"/> is set.
/// </summary>
public sealed partial class IiiWorkerClient(
    IOptions<IiiBridgeOptions> options,
    BridgeFunctionCatalog catalog,
    ILogger<IiiWorkerClient> logger,
    TimeProvider? timeProvider = null,
    IHostApplicationLifetime? lifetime = null) : BackgroundService
{
    private static readonly string SdkVersion =
        typeof(IiiWorkerClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private readonly IiiBridgeOptions _options = options.Value;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<Guid, PendingInvocation> _pending = new();
    private readonly List<IiiTriggerRegistration> _triggers = [];
    private readonly Dictionary<string, (RegisterTriggerTypeMessage Message, IIiiTriggerTypeHandler Handler)> _triggerTypes = new(StringComparer.Ordinal);
    private readonly Queue<byte[]> _unsentVoid = new();
    private readonly ConcurrentDictionary<int, Task> _handlers = new();
    private IiiConnection? _current;
    private string? _workerId;
    private string? _reattachToken;
    private int _connectionSerial;
    private int _handlerSerial;
    private TaskCompletionSource<string> _registered = NewRegistration();
    private CancellationToken _stopping = CancellationToken.None;
    private bool _subscribed;

    /// <summary>Void invokes kept while disconnected; older ones are dropped beyond this.</summary>
    private const int MaxUnsentVoid = 1024;

    /// <summary>Worker id of the current (or last) connection; null before the first <c>workerregistered</c>.</summary>
    public string? WorkerId
    {
        get
        {
            lock (_gate)
            {
                return _workerId;
            }
        }
    }

    /// <summary>True while a socket is open and its registrations are queued.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _current is not null;
            }
        }
    }

    /// <summary>How many connections have been opened so far (1 after the first connect, 2 after a reconnect, …).</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionSerial);

    /// <summary>Completes with the worker id once the current connection got its <c>workerregistered</c>.</summary>
    public Task<string> WaitForRegistrationAsync(CancellationToken cancellationToken)
    {
        Task<string> task;
        lock (_gate)
        {
            task = _registered.Task;
        }
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Calls a function on the bus and waits for its result. Queued while disconnected (sent on the next connection);
    /// failures throw <see cref="IiiInvocationException"/> with the wire code (<c>function_not_found</c>,
    /// <c>TIMEOUT</c>, <c>connection_lost</c>, the target's own code, …).
    /// </summary>
    public async Task<JsonElement> InvokeAsync(
        string functionId,
        JsonElement? payload,
        TimeSpan? timeout = null,
        JsonElement? metadata = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionId);
        var id = Guid.NewGuid();
        var (traceparent, baggage) = IiiTraceContext.Current();
        var frame = IiiMessageSerializer.Serialize(new InvokeFunctionMessage
        {
            InvocationId = id,
            FunctionId = functionId,
            Data = payload ?? NullElement,
            Traceparent = traceparent,
            Baggage = baggage,
            Metadata = metadata,
        });
        var pending = new PendingInvocation(id, functionId, frame);
        _pending[id] = pending;
        var wait = timeout ?? _options.InvocationTimeout;
        try
        {
            lock (_gate)
            {
                if (_current is { } connection && connection.Send(frame))
                {
                    pending.SentOn = connection.Serial;
                }
            }
            return await pending.Completion.Task.WaitAsync(wait, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new IiiInvocationException(IiiErrorCodes.Timeout, $"invocation timed out after {(long)wait.TotalMilliseconds}ms", functionId);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
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
        var (traceparent, baggage) = IiiTraceContext.Current();
        var frame = IiiMessageSerializer.Serialize(new InvokeFunctionMessage
        {
            FunctionId = functionId,
            Data = payload ?? NullElement,
            Action = TriggerAction.Void,
            Traceparent = traceparent,
            Baggage = baggage,
            Metadata = metadata,
        });
        lock (_gate)
        {
            if (_current is { } connection && connection.Send(frame))
            {
                return;
            }
            _unsentVoid.Enqueue(frame);
            if (_unsentVoid.Count > MaxUnsentVoid)
            {
                _unsentVoid.Dequeue();
                LogVoidDropped(logger, functionId);
            }
        }
    }

    /// <summary>
    /// Binds a trigger to a function (ours or anyone's). The id (random unless given) is kept and replayed unchanged
    /// after every reconnect, as the engine keeps nothing for a dead connection.
    /// </summary>
    public IiiTriggerRegistration RegisterTrigger(string triggerType, string functionId, JsonElement? config = null, JsonElement? metadata = null, string? id = null)
    {
        var registration = new IiiTriggerRegistration(id ?? Guid.NewGuid().ToString(), triggerType, functionId, config ?? WireJson.Empty, metadata);
        lock (_gate)
        {
            _triggers.RemoveAll(t => t.Id == registration.Id);
            _triggers.Add(registration);
            _current?.Send(IiiMessageSerializer.Serialize(ToMessage(registration)));
        }
        return registration;
    }

    public bool UnregisterTrigger(string id)
    {
        lock (_gate)
        {
            var found = _triggers.Find(t => t.Id == id);
            if (found is null)
            {
                return false;
            }
            _triggers.Remove(found);
            _current?.Send(IiiMessageSerializer.Serialize(new UnregisterTriggerMessage { Id = id, TriggerType = found.TriggerType }));
            return true;
        }
    }

    /// <summary>Declares that this worker provides a trigger type; the engine forwards bindings of it to <paramref name="handler"/>.</summary>
    public void RegisterTriggerType(string id, string description, IIiiTriggerTypeHandler handler, JsonNode? triggerRequestFormat = null, JsonNode? callRequestFormat = null)
    {
        var message = new RegisterTriggerTypeMessage
        {
            Id = id,
            Description = description,
            TriggerRequestFormat = triggerRequestFormat,
            CallRequestFormat = callRequestFormat,
        };
        lock (_gate)
        {
            _triggerTypes[id] = (message, handler);
            _current?.Send(IiiMessageSerializer.Serialize(message));
        }
    }

    /// <summary>Registrations currently replayed on each connection (for diagnostics and tests).</summary>
    public IReadOnlyList<IiiTriggerRegistration> Triggers
    {
        get
        {
            lock (_gate)
            {
                return [.. _triggers];
            }
        }
    }

    /// <summary>Drops the current socket without a close handshake (tests; operators forcing a reconnect).</summary>
    public void AbortConnection()
    {
        lock (_gate)
        {
            _current?.Socket.Abort();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled(logger);
            return;
        }
        var uri = new Uri(_options.EngineUrl!);
        _stopping = stoppingToken;
        Subscribe();
        if (lifetime is not null)
        {
            // Grains must be callable before the engine can route invocations to us.
            await WaitForStartAsync(lifetime, stoppingToken);
        }

        var attempt = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var opened = false;
            try
            {
                using var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = _options.KeepAliveInterval;
                socket.Options.KeepAliveTimeout = _options.KeepAliveTimeout;
                using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    connectTimeout.CancelAfter(_options.ConnectTimeout);
                    await socket.ConnectAsync(uri, connectTimeout.Token);
                }
                opened = true;
                attempt = 0;
                await RunConnectionAsync(socket, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (opened)
                {
                    LogConnectionLost(logger, uri, ex.Message);
                }
                else
                {
                    LogConnectFailed(logger, uri, attempt + 1, ex.Message);
                }
            }
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            var delay = ReconnectBackoff.Delay(attempt++, _options, Random.Shared.NextDouble());
            LogReconnecting(logger, delay.TotalMilliseconds, attempt);
            try
            {
                await Task.Delay(delay, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Lets running handlers answer (bounded), closes the socket with a close handshake so the engine sees a clean
    /// disconnect, then stops the connection loop and fails calls still waiting.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Unsubscribe();
        using (var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            grace.CancelAfter(StopGrace);
            await Task.WhenAll(_handlers.Values).WaitAsync(grace.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            IiiConnection? connection;
            lock (_gate)
            {
                connection = _current;
                _current = null;
            }
            if (connection is not null)
            {
                connection.Complete();
                await connection.Drained.WaitAsync(grace.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (connection.Socket.State == WebSocketState.Open)
                {
                    await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "worker stopping", grace.Token)
                        .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }
        await base.StopAsync(cancellationToken);
        foreach (var pending in _pending.Values)
        {
            pending.Completion.TrySetException(new IiiInvocationException(IiiErrorCodes.ConnectionLost, "the iii bridge is stopping", pending.FunctionId));
        }
    }

    /// <summary>How long a stop waits for running handlers and queued frames.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private async Task RunConnectionAsync(ClientWebSocket socket, CancellationToken stoppingToken)
    {
        var connection = new IiiConnection(socket, Interlocked.Increment(ref _connectionSerial));
        using var writerStop = new CancellationTokenSource();
        var writer = connection.RunWriterAsync(writerStop.Token);
        Open(connection);
        try
        {
            await ReceiveLoopAsync(connection, stoppingToken);
        }
        finally
        {
            Close(connection);
            writerStop.Cancel();
            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>HEAD order, valid on 0.22.1 too: reattach, worker metadata, trigger types, functions, triggers, then queued calls.</summary>
    private void Open(IiiConnection connection)
    {
        lock (_gate)
        {
            if (_workerId is not null)
            {
                connection.Send(IiiMessageSerializer.Serialize(new ReattachMessage { PreviousWorkerId = _workerId, ReattachToken = _reattachToken }));
            }
            connection.Send(IiiMessageSerializer.Serialize(new InvokeFunctionMessage
            {
                FunctionId = "engine::workers::register",
                Data = WorkerMetadata(),
                Action = TriggerAction.Void,
            }));
            foreach (var (message, _) in _triggerTypes.Values)
            {
                connection.Send(IiiMessageSerializer.Serialize(message));
            }
            foreach (var function in catalog.All)
            {
                connection.Send(IiiMessageSerializer.Serialize(ToMessage(function)));
            }
            foreach (var trigger in _triggers)
            {
                connection.Send(IiiMessageSerializer.Serialize(ToMessage(trigger)));
            }
            while (_unsentVoid.TryDequeue(out var frame))
            {
                connection.Send(frame);
            }
            foreach (var pending in _pending.Values.Where(p => p.SentOn == 0).OrderBy(p => p.Order))
            {
                if (connection.Send(pending.Frame))
                {
                    pending.SentOn = connection.Serial;
                }
            }
            _current = connection;
        }
        LogConnected(logger, _options.EngineUrl!, connection.Serial, catalog.All.Count);
    }

    private void Close(IiiConnection connection)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_current, connection))
            {
                _current = null;
            }
            if (_registered.Task.IsCompleted)
            {
                _registered = NewRegistration();
            }
        }
        connection.Complete();
        // The engine drops results addressed to a dead connection, so calls sent on it can never complete.
        foreach (var pending in _pending.Values.Where(p => p.SentOn == connection.Serial))
        {
            pending.Completion.TrySetException(new IiiInvocationException(
                IiiErrorCodes.ConnectionLost, "the connection to the iii engine dropped while the call was in flight", pending.FunctionId));
        }
    }

    private async Task ReceiveLoopAsync(IiiConnection connection, CancellationToken stoppingToken)
    {
        var socket = connection.Socket;
        var message = new ArrayBufferWriter<byte>(16 * 1024);
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(message.GetMemory(16 * 1024), stoppingToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                LogEngineClosed(logger, socket.CloseStatus?.ToString() ?? "none", socket.CloseStatusDescription ?? "");
                return;
            }
            message.Advance(result.Count);
            if (message.WrittenCount > _options.MaxMessageBytes)
            {
                throw new InvalidDataException($"inbound message exceeds {_options.MaxMessageBytes} bytes");
            }
            if (!result.EndOfMessage)
            {
                continue;
            }
            if (result.MessageType == WebSocketMessageType.Binary && IsTelemetry(message.WrittenSpan))
            {
                message.ResetWrittenCount();
                continue;
            }
            if (IiiMessageSerializer.TryParse(message.WrittenSpan, out var parsed, out var error))
            {
                Dispatch(connection, parsed!);
            }
            else if (error != "empty frame")
            {
                LogBadFrame(logger, error ?? "unreadable");
            }
            message.ResetWrittenCount();
        }
    }

    private void Dispatch(IiiConnection connection, IiiMessage message)
    {
        switch (message)
        {
            case WorkerRegisteredMessage registered:
                TaskCompletionSource<string> signal;
                lock (_gate)
                {
                    connection.WorkerId = registered.WorkerId;
                    _workerId = registered.WorkerId;
                    _reattachToken = registered.ReattachToken;
                    signal = _registered;
                }
                LogRegistered(logger, registered.WorkerId, connection.Serial);
                signal.TrySetResult(registered.WorkerId);
                break;
            case InvokeFunctionMessage invoke:
                Track(HandleInvokeAsync(connection, invoke));
                break;
            case InvocationResultMessage result:
                Complete(result);
                break;
            case RegisterTriggerMessage binding:
                Track(HandleBindingAsync(connection, binding));
                break;
            case UnregisterTriggerMessage unbinding:
                Track(HandleUnbindingAsync(unbinding));
                break;
            case TriggerRegistrationResultMessage { Error: { } error } failed:
                LogTriggerRejected(logger, failed.Id, failed.TriggerType, failed.FunctionId, error.ToString());
                break;
            case PingMessage:
                connection.Send(IiiMessageSerializer.Serialize(new PongMessage()));
                break;
            case RegistrationRejectedMessage rejected:
                LogRegistrationRejected(logger, rejected.Code, rejected.FunctionId ?? rejected.WorkerName ?? "", rejected.OwnerWorkerId ?? "");
                break;
            default:
                // pong, acks, and worker→engine types an engine never sends: nothing to do.
                break;
        }
    }

    private void Complete(InvocationResultMessage result)
    {
        if (!_pending.TryGetValue(result.InvocationId, out var pending))
        {
            LogUnknownResult(logger, result.InvocationId, result.FunctionId);
            return;
        }
        if (result.Error is { } error)
        {
            pending.Completion.TrySetException(new IiiInvocationException(error.Code, error.Message, pending.FunctionId, error.Stacktrace));
        }
        else
        {
            pending.Completion.TrySetResult(result.Result ?? NullElement);
        }
    }

    private async Task HandleInvokeAsync(IiiConnection connection, InvokeFunctionMessage invoke)
    {
        await Task.Yield();
        var data = invoke.Data ?? NullElement;
        JsonElement? value = null;
        ErrorBody? error = null;
        using (var activity = IiiTraceContext.StartExecute(invoke.FunctionId, invoke.Traceparent, invoke.Baggage))
        {
            try
            {
                if (!catalog.TryGet(invoke.FunctionId, out var function))
                {
                    throw new BridgeFunctionException(IiiErrorCodes.FunctionNotFound, $"Function {invoke.FunctionId} not found");
                }
                var invocation = new BridgeInvocation(
                    invoke.FunctionId, data, invoke.Metadata, invoke.InvocationId, BridgePayload.CallerWorkerId(data), invoke.Traceparent, invoke.Baggage);
                value = await function.Handler(invocation, _stopping);
            }
            catch (Exception ex)
            {
                error = ToErrorBody(ex);
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error.Message);
                if (error.Code == IiiErrorCodes.InvocationFailed)
                {
                    LogHandlerFailed(logger, ex, invoke.FunctionId);
                }
            }
            if (invoke.InvocationId is not { } id)
            {
                // Only an invoke without an id needs no answer (the engine always sets one on what it routes to us).
                return;
            }
            var (traceparent, baggage) = activity is null ? (invoke.Traceparent, invoke.Baggage) : IiiTraceContext.Current();
            var reply = new InvocationResultMessage
            {
                InvocationId = id,
                FunctionId = invoke.FunctionId,
                Result = error is null ? value ?? NullElement : null,
                Error = error,
                Traceparent = traceparent ?? invoke.Traceparent,
                Baggage = baggage ?? invoke.Baggage,
            };
            if (!connection.Send(IiiMessageSerializer.Serialize(reply)))
            {
                // The socket the call came on is gone; the engine already failed it with invocation_stopped.
                LogResultDropped(logger, invoke.FunctionId, id);
            }
        }
    }

    private async Task HandleBindingAsync(IiiConnection connection, RegisterTriggerMessage binding)
    {
        await Task.Yield();
        IIiiTriggerTypeHandler? handler;
        lock (_gate)
        {
            handler = _triggerTypes.TryGetValue(binding.TriggerType, out var type) ? type.Handler : null;
        }
        ErrorBody? error = null;
        if (handler is null)
        {
            error = new ErrorBody { Code = IiiErrorCodes.TriggerTypeNotFound, Message = "Trigger type not found" };
        }
        else
        {
            try
            {
                await handler.RegisterTriggerAsync(new(binding.Id, binding.TriggerType, binding.FunctionId, binding.Config, binding.Metadata), _stopping);
            }
            catch (Exception ex)
            {
                error = new ErrorBody { Code = IiiErrorCodes.TriggerRegistrationFailed, Message = ex.Message };
            }
        }
        connection.Send(IiiMessageSerializer.Serialize(new TriggerRegistrationResultMessage
        {
            Id = binding.Id,
            TriggerType = binding.TriggerType,
            FunctionId = binding.FunctionId,
            Error = error,
        }));
    }

    private async Task HandleUnbindingAsync(UnregisterTriggerMessage unbinding)
    {
        await Task.Yield();
        IIiiTriggerTypeHandler? handler = null;
        lock (_gate)
        {
            if (unbinding.TriggerType is { } type && _triggerTypes.TryGetValue(type, out var entry))
            {
                handler = entry.Handler;
            }
        }
        if (handler is null)
        {
            return;
        }
        try
        {
            await handler.UnregisterTriggerAsync(new(unbinding.Id, unbinding.TriggerType!, "", null, null), _stopping);
        }
        catch (Exception ex)
        {
            LogUnbindFailed(logger, ex, unbinding.Id);
        }
    }

    private void Track(Task task)
    {
        var key = Interlocked.Increment(ref _handlerSerial);
        _handlers[key] = task;
        _ = task.ContinueWith(_ => _handlers.TryRemove(key, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
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
        catalog.Added += OnFunctionAdded;
        catalog.Removed += OnFunctionRemoved;
    }

    private void Unsubscribe()
    {
        catalog.Added -= OnFunctionAdded;
        catalog.Removed -= OnFunctionRemoved;
    }

    private void OnFunctionAdded(BridgeFunctionDescriptor function)
    {
        lock (_gate)
        {
            _current?.Send(IiiMessageSerializer.Serialize(ToMessage(function)));
        }
    }

    private void OnFunctionRemoved(string functionId)
    {
        lock (_gate)
        {
            _current?.Send(IiiMessageSerializer.Serialize(new UnregisterFunctionMessage { Id = functionId }));
        }
    }

    private static ErrorBody ToErrorBody(Exception ex) => ex switch
    {
        BridgeFunctionException bridge => new() { Code = bridge.Code, Message = bridge.Detail },
        PayloadValidationException invalid => new() { Code = IiiErrorCodes.InvalidPayload, Message = $"{invalid.Field}: {invalid.Reason}" },
        JsonException json => ToErrorBody(BridgePayload.FromJsonException(json)),
        IiiInvocationException remote => new() { Code = remote.Code, Message = remote.Detail },
        Harness.Functions.FunctionInvocationException failed => new() { Code = failed.Code, Message = failed.Detail },
        Harness.Functions.FunctionNotFoundException missing => new() { Code = IiiErrorCodes.FunctionNotFound, Message = $"Function {missing.FunctionId} not found" },
        OperationCanceledException => new() { Code = IiiErrorCodes.InvocationStopped, Message = "the worker is stopping" },
        _ => new() { Code = IiiErrorCodes.InvocationFailed, Message = ex.Message },
    };

    private static RegisterFunctionMessage ToMessage(BridgeFunctionDescriptor function) => new()
    {
        Id = function.Id,
        Description = function.Description,
        RequestFormat = function.RequestFormat?.DeepClone(),
        ResponseFormat = function.ResponseFormat?.DeepClone(),
        Metadata = function.Metadata,
    };

    private static RegisterTriggerMessage ToMessage(IiiTriggerRegistration trigger) => new()
    {
        Id = trigger.Id,
        TriggerType = trigger.TriggerType,
        FunctionId = trigger.FunctionId,
        Config = trigger.Config,
        Metadata = trigger.Metadata,
    };

    private JsonElement WorkerMetadata() => WireJson.ToElement(new JsonObject
    {
        ["runtime"] = "dotnet",
        ["version"] = SdkVersion,
        ["name"] = _options.WorkerName,
        ["description"] = _options.WorkerDescription,
        ["os"] = $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()})",
        // engine::workers::list hides connected workers without a pid.
        ["pid"] = Environment.ProcessId,
        ["isolation"] = null,
        ["telemetry"] = new JsonObject
        {
            ["language"] = "en-US",
            ["project_name"] = "harness",
            ["framework"] = "iii-dotnet",
        },
    });

    private static bool IsTelemetry(ReadOnlySpan<byte> frame) =>
        frame.StartsWith("OTLP"u8) || frame.StartsWith("MTRC"u8) || frame.StartsWith("LOGS"u8);

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

    private static TaskCompletionSource<string> NewRegistration() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static readonly JsonElement NullElement = WireJson.Parse("null");
}
