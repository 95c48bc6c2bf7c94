using Orleans.Concurrency;

namespace Harness.Events;

/// <summary>
/// Receives a session's agent events from its turn grain (<see cref="Turns.ITurnGrain.SubscribeEvents"/>). Calls are
/// one-way: a slow or dead subscriber never holds the turn up. Frames may arrive twice or, rarely, out of order; the
/// subscriber orders them by <see cref="AgentEventFrame.Seq"/> (<see cref="SessionEventSubscription"/> does).
/// </summary>
public interface IAgentEventObserver : IGrainObserver
{
    [OneWay]
    Task OnEvent(AgentEventFrame frame);
}
