using System.Collections.Concurrent;
using Harness.Events;
using Orleans.Runtime;
using Orleans.Streams;

namespace Harness.Tests.Infrastructure;

/// <summary>Collects the agent events of one session from the Orleans stream, in delivery order.</summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly ConcurrentQueue<AgentEventFrame> _frames = new();
    private StreamSubscriptionHandle<AgentEventFrame>? _handle;

    public IReadOnlyList<AgentEventFrame> Frames => [.. _frames];

    public IReadOnlyList<AgentEvent> Events => [.. _frames.Select(f => f.Event)];

    public static async Task<EventRecorder> StartAsync(IClusterClient client, string sessionId)
    {
        var recorder = new EventRecorder();
        var stream = client.GetStreamProvider(AgentEventStreams.Provider)
            .GetStream<AgentEventFrame>(StreamId.Create(AgentEventStreams.Namespace, sessionId));
        recorder._handle = await stream.SubscribeAsync((frame, _) =>
        {
            recorder._frames.Enqueue(frame);
            return Task.CompletedTask;
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
        if (_handle is not null)
        {
            await _handle.UnsubscribeAsync();
        }
    }
}
