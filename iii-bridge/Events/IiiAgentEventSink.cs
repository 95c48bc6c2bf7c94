using Harness.Bridge.Client;
using Harness.Bridge.Hosting;
using Harness.Events;
using Harness.Serialization;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Events;

/// <summary>
/// Mirrors agent events into the engine's streams (harness-core §5): every frame to <c>agent::events</c> (group = session
/// id, item = <see cref="AgentEventFrame.ItemId"/>), <c>turn_end</c> frames also to <c>agent::turn_end</c>. Publishing
/// never blocks the turn: each session has a chain of sends, each awaiting the previous <c>stream::set</c>, so the engine
/// sees a session's frames in order. A write the engine did not take (engine away or restarting, timeout, connection
/// lost) is retried with backoff until it does, and the session's later frames wait behind it; a retried write may
/// reach the engine twice (subscribers dedupe by <c>item_id</c>). Only errors that a retry cannot fix (the engine
/// refused the value itself) are logged and skipped. Memory is bounded: at most
/// <see cref="IiiBridgeOptions.EventQueueCapacity"/> frames wait per session and
/// <see cref="IiiBridgeOptions.EventBacklogLimit"/> in all; a frame beyond either is dropped with a warning and counted
/// in <see cref="DroppedFrames"/>. Frames still waiting when the silo stops are lost (logged).
/// </summary>
public sealed partial class IiiAgentEventSink(IiiWorkerClient client, IOptions<IiiBridgeOptions> options, ILogger<IiiAgentEventSink> logger)
    : IAgentEventSink, IDisposable
{
    public const string EventsStream = "agent::events";
    public const string TurnEndStream = "agent::turn_end";

    /// <summary>Codes a retry cannot fix: the engine refused the value or the request itself.</summary>
    private static readonly HashSet<string> Permanent = new(StringComparer.Ordinal)
    {
        "VALUE_TOO_LARGE", "JSON_ERROR", "INVALID_ARGUMENTS", "FORBIDDEN", "invalid_payload",
    };

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SessionChain> _chains = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();
    private int _disposeCount;
    private int _backlog;
    private long _dropped;
    private long _retries;

    /// <summary>Frames accepted and not yet taken by the engine (all sessions).</summary>
    public int Backlog => Volatile.Read(ref _backlog);

    /// <summary>Frames dropped because a backlog bound was reached.</summary>
    public long DroppedFrames => Interlocked.Read(ref _dropped);

    /// <summary>Writes repeated after the engine did not take them.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public ValueTask PublishAsync(AgentEventFrame frame, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_chains.TryGetValue(frame.SessionId, out var chain))
            {
                chain = new SessionChain();
                _chains[frame.SessionId] = chain;
            }
            if (chain.Pending >= options.Value.EventQueueCapacity || _backlog >= options.Value.EventBacklogLimit)
            {
                Interlocked.Increment(ref _dropped);
                LogDropped(logger, frame.SessionId, frame.ItemId, chain.Pending, _backlog);
                if (chain.Pending == 0)
                {
                    _chains.Remove(frame.SessionId);
                }
                return ValueTask.CompletedTask;
            }
            chain.Pending++;
            _backlog++;
            chain.Tail = SendAfterAsync(chain, chain.Tail, frame);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Completes when every frame queued so far has been taken by the engine or given up on (tests, graceful stop).</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        Task[] tails;
        lock (_lock)
        {
            tails = [.. _chains.Values.Select(c => c.Tail)];
        }
        return Task.WhenAll(tails).WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        // Registered under two service types, so the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposeCount, 1) == 0)
        {
            if (Backlog > 0)
            {
                LogLostAtStop(logger, Backlog);
            }
            _disposed.Cancel();
            _disposed.Dispose();
        }
    }

    private async Task SendAfterAsync(SessionChain chain, Task previous, AgentEventFrame frame)
    {
        // Never run the send under the lock, even when the previous one is already done.
        await Task.Yield();
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            var token = _disposed.Token;
            var data = WireJson.ToElement(frame.Event);
            await SetUntilTakenAsync(EventsStream, frame, data, token);
            if (frame.Event.Type == AgentEventTypes.TurnEnd)
            {
                await SetUntilTakenAsync(TurnEndStream, frame, data, token);
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
        {
            // Silo stopping.
        }
        finally
        {
            lock (_lock)
            {
                _backlog--;
                if (--chain.Pending == 0 && _chains.TryGetValue(frame.SessionId, out var current) && ReferenceEquals(current, chain))
                {
                    _chains.Remove(frame.SessionId);
                }
            }
        }
    }

    private async Task SetUntilTakenAsync(string stream, AgentEventFrame frame, JsonElement data, CancellationToken cancellationToken)
    {
        var payload = WireJson.ToElement(new JsonObject
        {
            ["stream_name"] = stream,
            ["group_id"] = frame.SessionId,
            ["item_id"] = frame.ItemId,
            ["data"] = JsonNode.Parse(data.GetRawText()),
        });
        var delay = options.Value.ReconnectInitialDelay > TimeSpan.Zero ? options.Value.ReconnectInitialDelay : TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.InvokeAsync("stream::set", payload, options.Value.EventPublishTimeout, null, cancellationToken);
                if (attempt > 1)
                {
                    LogTakenAfterRetry(logger, stream, frame.ItemId, attempt);
                }
                return;
            }
            catch (IiiInvocationException ex) when (Permanent.Contains(ex.Code))
            {
                LogRefused(logger, stream, frame.ItemId, ex.Code, ex.Detail);
                return;
            }
            catch (IiiInvocationException ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt == 1)
                {
                    LogRetrying(logger, stream, frame.ItemId, ex.Code, ex.Detail);
                }
                Interlocked.Increment(ref _retries);
            }
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Math.Min(MaxRetryDelay.Ticks, Math.Max(options.Value.ReconnectMaxDelay.Ticks, delay.Ticks))));
        }
    }

    private sealed class SessionChain
    {
        public Task Tail { get; set; } = Task.CompletedTask;

        public int Pending { get; set; }
    }

    [LoggerMessage(1, LogLevel.Warning, "The iii engine did not take agent event {ItemId} for stream {Stream} ({Code}: {Reason}); retrying until it does")]
    private static partial void LogRetrying(ILogger logger, string stream, string itemId, string code, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Agent event backlog full (session {SessionId}: {SessionPending}, all sessions: {Backlog}); dropped {ItemId}")]
    private static partial void LogDropped(ILogger logger, string sessionId, string itemId, int sessionPending, int backlog);

    [LoggerMessage(3, LogLevel.Information, "The iii engine took agent event {ItemId} for stream {Stream} after {Attempts} attempts")]
    private static partial void LogTakenAfterRetry(ILogger logger, string stream, string itemId, int attempts);

    [LoggerMessage(4, LogLevel.Error, "The iii engine refused agent event {ItemId} for stream {Stream} ({Code}: {Reason}); skipped, a retry cannot fix it")]
    private static partial void LogRefused(ILogger logger, string stream, string itemId, string code, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Stopping with {Count} agent events the iii engine has not taken; they are not mirrored")]
    private static partial void LogLostAtStop(ILogger logger, int count);
}
