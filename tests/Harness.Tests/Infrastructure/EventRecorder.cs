using System.Collections.Concurrent;
using Harness.Events;

namespace Harness.Tests.Infrastructure;

/// <summary>Collects the agent events of one session as its turn grain sends them (from the subscription on), in order.</summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<AgentEventFrame> _frames = new();
    private SessionEventSubscription? _subscription;

    public IReadOnlyList<AgentEventFrame> Frames => [.. _frames];

    public IReadOnlyList<AgentEvent> Events => [.. _frames.Select(f => f.Event)];

    /// <param name="slowConsumer">Take this long per event, so that events are still on their way while a test breaks things.</param>
    public static async Task<EventRecorder> StartAsync(IClusterClient client, string sessionId, TimeSpan? slowConsumer = null)
    {
        var recorder = new EventRecorder();
        recorder._subscription = await SessionEventSubscription.StartAsync(client, sessionId, async frame =>
        {
            if (slowConsumer is { } delay)
            {
                await Task.Delay(delay);
            }
            recorder._frames.Enqueue(frame);
        });
        return recorder;
    }

    /// <summary>Waits until an event satisfies <paramref name="match"/> (bounded).</summary>
    public async Task<AgentEvent> WaitForAsync(Func<AgentEvent, bool> match, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (_frames.Select(f => f.Event).FirstOrDefault(match) is { } found)
            {
                return found;
            }
            await Task.Delay(25);
        }
        throw new TimeoutException($"event not seen; got: {string.Join(", ", Events.Select(Describe))}");
    }

    /// <summary>Compact form of an event for sequence assertions, e.g. <c>turn_state_changed:steering_check</c>.</summary>
    public static string Describe(AgentEvent e) => e.Type switch
    {
        AgentEventTypes.TurnStateChanged => $"{e.Type}:{e.NewValue?.State}",
        AgentEventTypes.FunctionExecutionStart or AgentEventTypes.FunctionExecutionEnd => $"{e.Type}:{e.FunctionCallId}",
        _ => e.Type,
    };

    public async ValueTask DisposeAsync()
    {
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
    }
}
