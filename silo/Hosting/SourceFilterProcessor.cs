using System.Diagnostics;
using OpenTelemetry;

namespace Harness.Silo.Hosting;

/// <summary>Passes only the spans of one source on to <paramref name="inner"/> (keeps the console trace readable).</summary>
public sealed class SourceFilterProcessor(string source, BaseProcessor<Activity> inner) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Source.Name == source)
        {
            inner.OnEnd(data);
        }
    }

    protected override bool OnForceFlush(int timeoutMilliseconds) => inner.ForceFlush(timeoutMilliseconds);

    protected override bool OnShutdown(int timeoutMilliseconds) => inner.Shutdown(timeoutMilliseconds);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
