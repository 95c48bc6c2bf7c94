using Harness.Events;
using Harness.Messages;
using Harness.Turns;

namespace Harness.Benchmarks;

/// <summary>
/// Runs turns on one session back to back: <c>run::start</c>, then waits for the event that reports the persisted
/// terminal state (so the next start is never refused as busy). Events arrive from the turn grain as it stores them, no polling.
/// </summary>
public sealed class SessionDriver(IClusterClient client, string sessionId, string model) : IAsyncDisposable
{
    private SessionEventSubscription? _subscription;
    private TaskCompletionSource<string> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _turns;
    private static long _busyReplies;

    /// <summary>session_busy answers received right after a terminal event, over all drivers.</summary>
    public static long BusyReplies => Interlocked.Read(ref _busyReplies);

    public async Task SubscribeAsync()
    {
        _subscription = await SessionEventSubscription.StartAsync(client, sessionId, frame =>
        {
            if (frame.Event is { Type: AgentEventTypes.TurnStateChanged, NewValue.State: var state } && TurnStates.IsTerminal(state))
            {
                _finished.TrySetResult(state);
            }
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>One text-only run; throws when it is refused, fails or takes longer than a minute.</summary>
    public async Task RunTurnAsync()
    {
        _finished = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var index = ++_turns;
        var request = new RunStartRequest
        {
            SessionId = sessionId,
            MessageId = $"m{index}",
            Provider = "scripted",
            Model = model,
            Messages = [AgentMessage.User($"turn {index}", index)],
        };
        // The stopped event is published while the finishing step still unregisters its reminder; a start in that
        // gap is answered session_busy, so retry briefly (counted, reported with the results).
        for (var attempt = 0; ; attempt++)
        {
            var started = await client.GetGrain<ITurnGrain>(sessionId).Start(request);
            if (started.Started)
            {
                break;
            }
            if (started.Reason != RunStartResult.SessionBusy || attempt == 1000)
            {
                throw new InvalidOperationException($"{sessionId}: run::start refused ({started.Reason})");
            }
            Interlocked.Increment(ref _busyReplies);
            await Task.Delay(1);
        }
        var state = await _finished.Task.WaitAsync(TimeSpan.FromMinutes(1));
        if (state != TurnStates.Stopped)
        {
            throw new InvalidOperationException($"{sessionId}: turn ended in {state}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }
}
