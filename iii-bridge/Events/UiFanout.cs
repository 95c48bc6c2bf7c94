using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Events;
using Harness.Models;
using Harness.Serialization;
using Harness.Ui;

namespace Harness.Bridge.Events;

/// <summary>
/// The harness UI fanout (harness-core §3.3), pushed from the silo that emits the event:
/// <c>ui::session::event::&lt;b&gt;</c> <c>{session_id, event}</c> for every agent event to the browsers following that
/// session (or all), <c>ui::traces::changed::&lt;b&gt;</c> <c>{}</c> to all-sessions browsers after a trailing
/// <see cref="TracesDebounce"/> following <c>turn_end</c>, and <c>ui::models::changed::&lt;b&gt;</c>
/// <c>{reason:"models-changed"}</c> after each models-catalog write, and <c>ui::sessions::changed::&lt;b&gt;</c>
/// <c>{added:[session_id], removed:[]}</c> to all-sessions browsers when a session is created. Subscribers come from this silo's copy of the
/// cluster's <see cref="IUiSubscriptionsGrain"/> (<see cref="UiSubscriptionsFollower"/>: no grain call per event, and an
/// event nobody follows costs one dictionary scan); a push answered with <c>function_not_found</c> evicts the browser (a missing
/// session-event function only mutes session events for a browser that also follows all sessions). A session's
/// pushes go out in order (one chain per session) and never block the turn.
/// </summary>
public sealed partial class UiFanout(IiiWorkerClient client, IGrainFactory grains, UiSubscriptionsFollower subscribers, TimeProvider time, ILogger<UiFanout> logger)
    : IAgentEventSink, IModelsCatalogListener, IDisposable
{
    public static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan TracesDebounce = TimeSpan.FromMilliseconds(400);
    private const int MaxPendingPerSession = 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Chain> _chains = new(StringComparer.Ordinal);
    private ITimer? _tracesTimer;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _withoutSessionsPush = new(StringComparer.Ordinal);
    private bool _disposed;

    private IUiSubscriptionsGrain Subscriptions => grains.GetGrain<IUiSubscriptionsGrain>(IUiSubscriptionsGrain.Key);

    public ValueTask PublishAsync(AgentEventFrame frame, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }
            var chain = _chains.GetValueOrDefault(frame.SessionId);
            // Nobody follows this session (and no push of it is still queued): nothing to do on the turn's hot path.
            var unfollowed = chain is null && subscribers.Current is { } known && !known.BrowsersOf(frame.SessionId).Any();
            if (!unfollowed && chain is null)
            {
                _chains[frame.SessionId] = chain = new Chain();
            }
            if (chain is not null && chain.Pending < MaxPendingPerSession)
            {
                chain.Pending++;
                var previous = chain.Tail;
                // Off the caller's (grain) scheduler: the push must not hold the turn.
                chain.Tail = Task.Run(() => PushEventAfterAsync(chain, previous, frame));
            }
            if (frame.Event.Type == AgentEventTypes.TurnEnd)
            {
                _tracesTimer ??= time.CreateTimer(_ => _ = PushTracesChangedAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _tracesTimer.Change(TracesDebounce, Timeout.InfiniteTimeSpan);  // trailing: each turn_end restarts the wait
            }
        }
        return ValueTask.CompletedTask;
    }

    public void CatalogChanged() => _ = Task.Run(PushModelsChangedAsync);

    /// <summary>A session was created (stored): all-sessions browsers hear of it (harness-core §3.3).</summary>
    public void SessionCreated(string sessionId)
    {
        if (subscribers.Current is { } known && !known.AllSessionBrowsers.Any())
        {
            return;  // nobody follows all sessions
        }
        _ = Task.Run(() => PushSessionsChangedAsync(sessionId));
    }

    /// <summary>Completes when every event push queued so far is done (tests).</summary>
    public Task FlushAsync()
    {
        Task[] tails;
        lock (_lock)
        {
            tails = [.. _chains.Values.Select(c => c.Tail)];
        }
        return Task.WhenAll(tails);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _tracesTimer?.Dispose();
        }
    }

    private async Task PushEventAfterAsync(Chain chain, Task previous, AgentEventFrame frame)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            var browsers = (await subscribers.GetAsync()).BrowsersOf(frame.SessionId).ToList();
            if (browsers.Count > 0)
            {
                var payload = WireJson.ToElement(new JsonObject
                {
                    ["session_id"] = frame.SessionId,
                    ["event"] = JsonNode.Parse(WireJson.ToElement(frame.Event).GetRawText()),
                });
                await Task.WhenAll(browsers.Select(b => PushAsync(b, $"ui::session::event::{b}", payload, () => Subscriptions.SessionEventsGone(b))));
            }
        }
        catch (Exception ex)
        {
            LogFanoutFailed(logger, "ui::session::event", ex.Message);
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

    private async Task PushTracesChangedAsync()
    {
        try
        {
            var browsers = (await subscribers.GetAsync()).AllSessionBrowsers.ToList();
            await Task.WhenAll(browsers.Select(b => PushAsync(b, $"ui::traces::changed::{b}", WireJson.Empty, () => Subscriptions.Evict(b))));
        }
        catch (Exception ex)
        {
            LogFanoutFailed(logger, "ui::traces::changed", ex.Message);
        }
    }

    private async Task PushSessionsChangedAsync(string sessionId)
    {
        try
        {
            var browsers = (await subscribers.GetAsync()).AllSessionBrowsers.Where(b => !_withoutSessionsPush.ContainsKey(b)).ToList();
            var payload = WireJson.ToElement(new JsonObject { ["added"] = new JsonArray(sessionId), ["removed"] = new JsonArray() });
            // Optional for a page (the v0.5 console registers no such function): a missing one evicts nobody, and this
            // silo stops asking that browser.
            await Task.WhenAll(browsers.Select(b => PushAsync(b, $"ui::sessions::changed::{b}", payload, () =>
            {
                _withoutSessionsPush[b] = true;
                return Task.CompletedTask;
            })));
        }
        catch (Exception ex)
        {
            LogFanoutFailed(logger, "ui::sessions::changed", ex.Message);
        }
    }

    private async Task PushModelsChangedAsync()
    {
        try
        {
            var browsers = (await subscribers.GetAsync()).Models.ToList();
            var payload = WireJson.ToElement(new JsonObject { ["reason"] = "models-changed" });
            await Task.WhenAll(browsers.Select(b => PushAsync(b, $"ui::models::changed::{b}", payload, () => Subscriptions.Evict(b))));
        }
        catch (Exception ex)
        {
            LogFanoutFailed(logger, "ui::models::changed", ex.Message);
        }
    }

    private async Task PushAsync(string browserId, string functionId, JsonElement payload, Func<Task> gone)
    {
        try
        {
            await client.InvokeAsync(functionId, payload, PushTimeout);
        }
        catch (IiiInvocationException ex) when (ex.Code == IiiErrorCodes.FunctionNotFound || ex.Message.Contains(IiiErrorCodes.FunctionNotFound, StringComparison.Ordinal))
        {
            LogEvicted(logger, browserId, functionId);
            await gone();
        }
        catch (Exception ex)
        {
            LogPushFailed(logger, functionId, ex.Message);
        }
    }

    private sealed class Chain
    {
        public Task Tail { get; set; } = Task.CompletedTask;

        public int Pending { get; set; }
    }

    [LoggerMessage(1, LogLevel.Information, "UI fanout: {FunctionId} is gone, browser {BrowserId} dropped from that push")]
    private static partial void LogEvicted(ILogger logger, string browserId, string functionId);

    [LoggerMessage(2, LogLevel.Debug, "UI fanout push {FunctionId} failed: {Reason}")]
    private static partial void LogPushFailed(ILogger logger, string functionId, string reason);

    [LoggerMessage(3, LogLevel.Warning, "UI fanout {Push} failed: {Reason}")]
    private static partial void LogFanoutFailed(ILogger logger, string push, string reason);
}
