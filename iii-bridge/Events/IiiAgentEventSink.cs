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
/// sees a session's frames in order. Failures are logged and swallowed.
/// </summary>
public sealed partial class IiiAgentEventSink(IiiWorkerClient client, IOptions<IiiBridgeOptions> options, ILogger<IiiAgentEventSink> logger)
    : IAgentEventSink, IDisposable
{
    public const string EventsStream = "agent::events";
    public const string TurnEndStream = "agent::turn_end";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SessionChain> _chains = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();
    private int _disposeCount;

    public ValueTask PublishAsync(AgentEventFrame frame, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_chains.TryGetValue(frame.SessionId, out var chain))
            {
                chain = new SessionChain();
                _chains[frame.SessionId] = chain;
            }
            if (chain.Pending >= options.Value.EventQueueCapacity)
            {
                LogDropped(logger, frame.SessionId, frame.ItemId);
                return ValueTask.CompletedTask;
            }
            chain.Pending++;
            chain.Tail = SendAfterAsync(chain, chain.Tail, frame);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Completes when every frame queued so far has been sent or given up on (tests, graceful stop).</summary>
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
            await SetAsync(EventsStream, frame, data, token);
            if (frame.Event.Type == AgentEventTypes.TurnEnd)
            {
                await SetAsync(TurnEndStream, frame, data, token);
            }
        }
        catch (ObjectDisposedException)
        {
            // Silo stopping.
        }
        finally
        {
            lock (_lock)
            {
                if (--chain.Pending == 0 && _chains.TryGetValue(frame.SessionId, out var current) && ReferenceEquals(current, chain))
                {
                    _chains.Remove(frame.SessionId);
                }
            }
        }
    }

    private async Task SetAsync(string stream, AgentEventFrame frame, JsonElement data, CancellationToken cancellationToken)
    {
        var payload = WireJson.ToElement(new JsonObject
        {
            ["stream_name"] = stream,
            ["group_id"] = frame.SessionId,
            ["item_id"] = frame.ItemId,
            ["data"] = JsonNode.Parse(data.GetRawText()),
        });
        try
        {
            await client.InvokeAsync("stream::set", payload, options.Value.EventPublishTimeout, null, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogPublishFailed(logger, stream, frame.ItemId, ex.Message);
        }
    }

    private sealed class SessionChain
    {
        public Task Tail { get; set; } = Task.CompletedTask;

        public int Pending { get; set; }
    }

    [LoggerMessage(1, LogLevel.Warning, "Could not mirror agent event {ItemId} to iii stream {Stream}: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, string stream, string itemId, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Agent event backlog of session {SessionId} is full; dropped {ItemId}")]
    private static partial void LogDropped(ILogger logger, string sessionId, string itemId);
}
