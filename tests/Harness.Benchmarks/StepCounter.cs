using System.Diagnostics.Metrics;
using Harness.Hosting;

namespace Harness.Benchmarks;

/// <summary>
/// Counts the harness's own metrics while <see cref="Counting"/> is on: runs started (each persists its first record)
/// and FSM steps that completed (<c>outcome=ok</c>; stored by their own write or, run inline, by the one they ran in). Works because the silos run in this process.
/// </summary>
public sealed class StepCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _runs;
    private long _steps;

    public StepCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HarnessTelemetry.Name && instrument.Name is "harness.turn.steps" or "harness.turn.runs")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    public volatile bool Counting;

    /// <summary>FSM steps counted so far: run starts plus successful steps (a step run inline is stored by the write of the one it ran in).</summary>
    public long PersistedSteps => Interlocked.Read(ref _runs) + Interlocked.Read(ref _steps);

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (!Counting)
        {
            return;
        }
        if (instrument.Name == "harness.turn.runs")
        {
            Interlocked.Add(ref _runs, value);
            return;
        }
        foreach (var tag in tags)
        {
            if (tag.Key == "outcome" && tag.Value as string == "ok")
            {
                Interlocked.Add(ref _steps, value);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
