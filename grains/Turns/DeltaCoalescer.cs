namespace Harness.Turns;

/// <summary>
/// Spec coalescer: consecutive deltas of the same type are merged (concatenated delta, latest partial) and flushed
/// after <c>window</c> or at <c>maxChars</c>; any other event flushes the buffer first and passes through 1:1.
/// </summary>
public sealed class DeltaCoalescer(TimeSpan window, int maxChars, TimeProvider time)
{
    private AssistantMessageEvent? _pending;
    private System.Text.StringBuilder _text = new();
    private long _since;

    public IEnumerable<AssistantMessageEvent> Add(AssistantMessageEvent evt)
    {
        if (evt.Type is StreamEventTypes.TextDelta or StreamEventTypes.ThinkingDelta or StreamEventTypes.FunctionCallDelta)
        {
            if (_pending is not null && _pending.Type != evt.Type)
            {
                yield return Flush()!;
            }
            if (_pending is null)
            {
                _since = time.GetTimestamp();
                _text = new();
            }
            _pending = evt;
            _text.Append(evt.Delta);
            if (_text.Length >= maxChars || time.GetElapsedTime(_since) >= window)
            {
                yield return Flush()!;
            }
            yield break;
        }
        if (_pending is not null)
        {
            yield return Flush()!;
        }
        yield return evt;
    }

    public AssistantMessageEvent? Flush()
    {
        if (_pending is null)
        {
            return null;
        }
        var merged = _pending with { Delta = _text.ToString() };
        _pending = null;
        return merged;
    }
}
