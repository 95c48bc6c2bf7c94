using System.Threading.Channels;
using Harness.Turns;

namespace Harness.Events;

/// <summary>
/// A session's agent events, in order, for a subscriber in a silo or a cluster client (the SSE endpoint, tests,
/// benchmarks). Live frames come from the turn grain as it stores them; the subscription renews itself every
/// <see cref="RenewPeriod"/>, and each renewal returns the stored frames after the last one handed on. So frames
/// the turn stored while this subscriber was not registered (the turn moved to another silo after a kill, a one-way
/// message was lost) arrive at the next renewal. Frames that overtook each other are put back in order; a gap that
/// stays open for <see cref="ReorderWindow"/> is filled from storage. Each sequence number is handed on at most
/// once, in order (<see cref="AgentEventFrame.Position"/>); streamed deltas (never stored) that did not arrive are skipped.
/// </summary>
public sealed class SessionEventSubscription : IAgentEventObserver, IAsyncDisposable
{
    /// <summary>How often the subscription is renewed (well within the turn grain's subscriber expiry).</summary>
    public static readonly TimeSpan RenewPeriod = TimeSpan.FromSeconds(2);

    /// <summary>How long a frame after a gap waits for the missing ones before storage is asked for them.</summary>
    public static readonly TimeSpan ReorderWindow = TimeSpan.FromMilliseconds(250);

    private readonly IGrainFactory _grains;
    private readonly ITurnGrain _turn;
    private readonly Func<AgentEventFrame, ValueTask> _onFrame;
    private readonly Channel<AgentEventFrame> _inbox = Channel.CreateUnbounded<AgentEventFrame>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private IAgentEventObserver? _reference;
    private Task _reader = Task.CompletedTask;
    private Task _renewer = Task.CompletedTask;
    private long _last;
    private int _lastDelta;

    private SessionEventSubscription(IGrainFactory grains, string sessionId, long afterSeq, Func<AgentEventFrame, ValueTask> onFrame)
    {
        _grains = grains;
        _turn = grains.GetGrain<ITurnGrain>(sessionId);
        _onFrame = onFrame;
        _last = afterSeq;
    }

    /// <summary>The last sequence number handed on.</summary>
    public long LastSeq => Volatile.Read(ref _last);

    /// <summary>
    /// Subscribes and hands on the stored frames after <paramref name="afterSeq"/> first, then live ones; without
    /// <paramref name="afterSeq"/>, the frames stored from now on. <paramref name="onFrame"/> is called one frame at a
    /// time, in sequence order.
    /// </summary>
    public static async Task<SessionEventSubscription> StartAsync(IGrainFactory grains, string sessionId, Func<AgentEventFrame, ValueTask> onFrame, long? afterSeq = null)
    {
        var subscription = new SessionEventSubscription(grains, sessionId, afterSeq ?? long.MaxValue, onFrame);
        subscription._reference = grains.CreateObjectReference<IAgentEventObserver>(subscription);
        var backlog = await subscription._turn.SubscribeEvents(subscription._reference, subscription._last);
        if (afterSeq is null)
        {
            subscription._last = backlog.StoredSeq;
        }
        subscription.Enqueue(backlog);
        subscription._reader = subscription.ReadAsync();
        subscription._renewer = subscription.RenewLoopAsync();
        return subscription;
    }

    Task IAgentEventObserver.OnEvent(AgentEventFrame frame)
    {
        _inbox.Writer.TryWrite(frame);
        return Task.CompletedTask;
    }

    private async Task RenewAsync() => Enqueue(await _turn.SubscribeEvents(_reference!, LastSeq));

    private void Enqueue(AgentEventBacklog backlog)
    {
        foreach (var frame in backlog.Frames)
        {
            _inbox.Writer.TryWrite(frame);
        }
    }

    private async Task RenewLoopAsync()
    {
        using var timer = new PeriodicTimer(RenewPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await RenewAsync();
                }
                catch (Exception) when (!_stop.IsCancellationRequested)
                {
                    // The turn's silo is down or the call timed out: the next renewal subscribes again.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReadAsync()
    {
        // One-way messages may overtake each other: frames wait here, in delivery order, until the ones before came.
        var pending = new SortedDictionary<(long Seq, int Delta), AgentEventFrame>();
        try
        {
            while (true)
            {
                while (_inbox.Reader.TryRead(out var frame))
                {
                    pending.TryAdd(frame.Position, frame);
                }
                await HandOnReadyAsync(pending);
                if (pending.Count == 0)
                {
                    if (!await _inbox.Reader.WaitToReadAsync(_stop.Token))
                    {
                        return;
                    }
                    continue;
                }
                // A gap: give the missing frames a moment to arrive, then take what storage has and go on without
                // the rest (streamed deltas are not stored).
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                wait.CancelAfter(ReorderWindow);
                try
                {
                    if (await _inbox.Reader.WaitToReadAsync(wait.Token))
                    {
                        continue;
                    }
                    return;
                }
                catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                {
                }
                await FillGapAsync(pending);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Hands on the frames that follow the last one: the next stored event, or a delta after the current one.</summary>
    private async Task HandOnReadyAsync(SortedDictionary<(long Seq, int Delta), AgentEventFrame> pending)
    {
        while (pending.Count > 0)
        {
            var (position, frame) = pending.First();
            if (position.CompareTo((LastSeq, _lastDelta)) <= 0)
            {
                pending.Remove(position);  // handed on already, or a delta that came too late
                continue;
            }
            var follows = frame.Delta == 0 ? frame.Seq == LastSeq + 1 : frame.Seq == LastSeq;
            if (!follows)
            {
                return;
            }
            pending.Remove(position);
            await HandOnAsync(frame);
        }
    }

    /// <summary>Frames before the first pending one are missing: take them from storage, then hand everything on.</summary>
    private async Task FillGapAsync(SortedDictionary<(long Seq, int Delta), AgentEventFrame> pending)
    {
        try
        {
            foreach (var frame in (await _turn.SubscribeEvents(_reference!, LastSeq)).Frames)
            {
                pending.TryAdd(frame.Position, frame);
            }
        }
        catch (Exception) when (!_stop.IsCancellationRequested)
        {
            // Storage is out of reach: go on with what came; the next renewal brings what was stored.
        }
        foreach (var (position, frame) in pending.ToList())
        {
            pending.Remove(position);
            if (position.CompareTo((LastSeq, _lastDelta)) > 0)
            {
                await HandOnAsync(frame);
            }
        }
    }

    private async Task HandOnAsync(AgentEventFrame frame)
    {
        Volatile.Write(ref _last, frame.Seq);
        _lastDelta = frame.Delta;
        await _onFrame(frame);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        _stop.Cancel();
        _inbox.Writer.TryComplete();
        await Task.WhenAll(_reader, _renewer).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            await _turn.UnsubscribeEvents(_reference!);
        }
        catch (Exception)
        {
            // The turn's silo is gone: the subscription expires there by itself.
        }
        _grains.DeleteObjectReference<IAgentEventObserver>(_reference!);
        _stop.Dispose();
    }
}
