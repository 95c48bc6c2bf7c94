using Harness.Bridge.Functions;
using Harness.Bridge.Protocol;
using Harness.Validation;

namespace Harness.Bridge.Client;

/// <summary>
/// Frames from the engine: the worker id it assigned, invocations of our functions (always answered when they carry
/// an id), results of our calls, and bindings of the trigger types we provide.
/// </summary>
internal sealed partial class IiiWorkerConnection
{
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
                LogRegistered(logger, Name, registered.WorkerId, connection.Serial);
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
                if (!TryGetHandler(invoke.FunctionId, out var function))
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

    /// <summary>Only functions this connection publishes are served on it (the engine routes by registration).</summary>
    private bool TryGetHandler(string functionId, out BridgeFunctionDescriptor function)
    {
        lock (_gate)
        {
            if (_own.TryGetValue(functionId, out function!))
            {
                return true;
            }
        }
        return publishes(functionId) && catalog.TryGet(functionId, out function);
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
            catch (PayloadValidationException invalid)
            {
                error = new ErrorBody { Code = IiiErrorCodes.InvalidPayload, Message = $"{invalid.Field}: {invalid.Reason}" };
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
}
