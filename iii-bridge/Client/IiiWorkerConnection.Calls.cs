using System.Collections.Concurrent;
using Harness.Bridge.Functions;
using Harness.Bridge.Protocol;

namespace Harness.Bridge.Client;

/// <summary>
/// Calls this connection makes on the bus. Synchronous calls wait for their <c>invocationresult</c> (queued while
/// disconnected, failed with <c>connection_lost</c> when the socket they went out on drops); void calls are kept,
/// bounded, while disconnected.
/// </summary>
internal sealed partial class IiiWorkerConnection
{
    /// <summary>Void invokes kept while disconnected; older ones are dropped beyond this.</summary>
    private const int MaxUnsentVoid = 1024;

    private readonly ConcurrentDictionary<Guid, PendingInvocation> _pending = new();
    private readonly Queue<byte[]> _unsentVoid = new();

    public async Task<JsonElement> InvokeAsync(string functionId, JsonElement? payload, TimeSpan timeout, JsonElement? metadata, CancellationToken cancellationToken)
    {
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
        try
        {
            lock (_gate)
            {
                if (_current is { } connection && connection.Send(frame))
                {
                    pending.SentOn = connection.Serial;
                }
            }
            return await pending.Completion.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new IiiInvocationException(IiiErrorCodes.Timeout, $"invocation timed out after {(long)timeout.TotalMilliseconds}ms", functionId);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public void InvokeVoid(string functionId, JsonElement? payload, JsonElement? metadata)
    {
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

    /// <summary>Fails every call still waiting (the bridge is stopping).</summary>
    public void FailPendingCalls()
    {
        foreach (var pending in _pending.Values)
        {
            pending.Completion.TrySetException(new IiiInvocationException(IiiErrorCodes.ConnectionLost, "the iii bridge is stopping", pending.FunctionId));
        }
    }

    /// <summary>Called under the gate when a socket opens, after the registrations.</summary>
    private void SendQueuedCalls(IiiConnection connection)
    {
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
    }

    /// <summary>The engine drops results addressed to a dead connection, so calls sent on it can never complete.</summary>
    private void FailCallsSentOn(IiiConnection connection)
    {
        foreach (var pending in _pending.Values.Where(p => p.SentOn == connection.Serial))
        {
            pending.Completion.TrySetException(new IiiInvocationException(
                IiiErrorCodes.ConnectionLost, "the connection to the iii engine dropped while the call was in flight", pending.FunctionId));
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
}
