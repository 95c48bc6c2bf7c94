using Harness.Events;

namespace Harness.Tests.Soak;

/// <summary>What one soak turn's subscriber and poller saw: the stored seqs handed on, and the gaps between signs of progress.</summary>
internal sealed class TurnTrack
{
    private readonly object _gate = new();
    private readonly HashSet<long> _storedSeqs = [];
    private DateTime _lastProgress = DateTime.UtcNow;
    private string? _lastState;

    public long Frames;

    public TimeSpan LongestPause { get; private set; }

    /// <summary>The seq of the <c>turn_state_changed:stopped</c> event, the last one a run stores; 0 until seen.</summary>
    public long StoppedSeq { get; private set; }

    public ValueTask OnFrame(AgentEventFrame frame)
    {
        lock (_gate)
        {
            Frames++;
            if (frame.Delta == 0)
            {
                _storedSeqs.Add(frame.Seq);
            }
            if (frame.Event.Type == AgentEventTypes.TurnStateChanged && frame.Event.NewValue?.State == Harness.Turns.TurnStates.Stopped)
            {
                StoppedSeq = frame.Seq;
            }
            Progress();
        }
        return ValueTask.CompletedTask;
    }

    public void OnState(string state)
    {
        lock (_gate)
        {
            if (state != _lastState)
            {
                _lastState = state;
                Progress();
            }
        }
    }

    /// <summary>Stored seqs 1..<see cref="StoppedSeq"/> never handed on.</summary>
    public int MissingSeqs()
    {
        lock (_gate)
        {
            return (int)StoppedSeq - _storedSeqs.Count(s => s >= 1 && s <= StoppedSeq);
        }
    }

    public void Restart()
    {
        lock (_gate)
        {
            _lastProgress = DateTime.UtcNow;
        }
    }

    private void Progress()
    {
        var now = DateTime.UtcNow;
        if (now - _lastProgress > LongestPause)
        {
            LongestPause = now - _lastProgress;
        }
        _lastProgress = now;
    }
}
