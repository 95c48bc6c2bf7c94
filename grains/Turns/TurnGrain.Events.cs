using Harness.Events;
using Orleans.Utilities;

namespace Harness.Turns;

/// <summary>
/// The session's agent events, an outbox in the turn's own row: an event is numbered and kept in
/// <see cref="TurnGrainState.Events"/>, written by the step's next storage write (the same transaction as the state it
/// belongs to), and only then sent to subscribers and sinks. A crash before that write loses the event together with
/// the state change behind it, and the re-run step emits it again under the same number; a subscriber never sees an
/// event whose step did not happen. Streamed deltas are the exception: they are sent at once (when nothing stored is
/// still waiting ahead of them) and not stored.
/// </summary>
public sealed partial class TurnGrain
{
    /// <summary>Numbered, not yet sent, in sequence order.</summary>
    private readonly List<AgentEventFrame> _outgoing = [];

    /// <summary>Highest sequence number sent to subscribers and sinks.</summary>
    private long _sentSeq;

    /// <summary>Index of the last streamed delta after the stored event <see cref="TurnGrainState.EventSeq"/>.</summary>
    private int _delta;

    /// <summary>Highest sequence number known to be in storage: subscribers are given stored frames only.</summary>
    private long _storedSeq;

    private readonly ObserverManager<IAgentEventObserver> _observers = new(options.Value.EventSubscriberExpiry, logger);

    public Task<AgentEventBacklog> SubscribeEvents(IAgentEventObserver observer, long afterSeq)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers.Subscribe(observer, observer);
        // Stored frames only: those still waiting for their write follow live once it succeeds.
        var stored = S.Events.Where(f => f.Seq > afterSeq && f.Seq <= _storedSeq).ToList();
        return Task.FromResult(new AgentEventBacklog { Frames = stored, StoredSeq = _storedSeq });
    }

    public Task UnsubscribeEvents(IAgentEventObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private async Task EmitAsync(AgentEvent evt)
    {
        if (evt.Type == AgentEventTypes.MessageUpdate)
        {
            var delta = new AgentEventFrame { SessionId = SessionId, Seq = S.EventSeq, Delta = ++_delta, Event = evt };
            if (_outgoing.Count == 0)
            {
                await SendAsync(delta);  // nothing stored is waiting ahead of it
                return;
            }
            _outgoing.Add(delta);
            return;
        }
        var frame = new AgentEventFrame { SessionId = SessionId, Seq = ++S.EventSeq, Event = evt };
        _delta = 0;
        S.Events.Add(frame);
        if (S.Events.Count > Options.StoredEventsLimit)
        {
            S.Events.RemoveRange(0, S.Events.Count - Options.StoredEventsLimit);
        }
        _outgoing.Add(frame);
    }

    /// <summary>After a successful write: everything numbered so far is stored (or live), so it goes out, in order.</summary>
    private async Task SendOutgoingAsync()
    {
        _storedSeq = S.EventSeq;
        if (_outgoing.Count == 0)
        {
            return;
        }
        var frames = _outgoing.ToArray();
        _outgoing.Clear();
        foreach (var frame in frames)
        {
            await SendAsync(frame);
        }
    }

    /// <summary>
    /// A step that fails transiently is re-run from the stored row: what it numbered and did not send is dropped with
    /// it (only stored events are sent, so none of those numbers reached anyone). Its deltas are numbered again from 1:
    /// a subscriber that saw the first attempt's takes the re-run's as repeats.
    /// </summary>
    private void ForgetUnsent()
    {
        _outgoing.Clear();
        _passedState = null;
        _delta = 0;
    }

    /// <summary>
    /// On resuming a turn whose silo died: frames the last write stored that may not have reached the sinks (sent
    /// after that write) go out again. Sinks take repeats (the engine's stream keys items by <c>item_id</c>).
    /// </summary>
    private async Task ResendUnconfirmedAsync()
    {
        foreach (var frame in S.Events.Where(f => f.Seq > S.SentSeq).ToList())
        {
            await SendAsync(frame);
        }
    }

    private async Task SendAsync(AgentEventFrame frame)
    {
        if (!frame.IsLive)
        {
            _sentSeq = Math.Max(_sentSeq, frame.Seq);
        }
        if (_observers.Count > 0)
        {
            await _observers.Notify(o => o.OnEvent(frame));  // one-way calls: complete at once
        }
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.PublishAsync(frame, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogEmitFailed(ex, SessionId, frame.Event.Type);
            }
        }
    }
}
