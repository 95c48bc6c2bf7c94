namespace Harness.Bridge.Telemetry;

/// <summary>
/// Export of the bridge's spans and logs to the engine's <c>/otel</c> WebSocket (iii-protocol §5), bound from
/// <c>Harness:Bridge:Telemetry</c>. On whenever the bridge is on, unless <see cref="Enabled"/> is false.
/// </summary>
public sealed class IiiTelemetryOptions
{
    public const string SectionName = "Harness:Bridge:Telemetry";

    public bool Enabled { get; set; } = true;

    /// <summary>Also send log records (<c>LOGS</c> frames); spans are always sent when enabled.</summary>
    public bool ExportLogs { get; set; } = true;

    /// <summary><c>service.name</c> of the exported resource: what the console's trace explorer shows.</summary>
    public string ServiceName { get; set; } = "harness";

    /// <summary>Activity sources exported besides the harness's and the bridge's own (Orleans' grain calls carry the trace between grains).</summary>
    public List<string> Sources { get; set; } = ["Microsoft.Orleans.Application"];

    /// <summary>How often batched spans and logs are sent.</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Frames kept while the socket is down; the oldest are dropped first.</summary>
    public int MaxQueuedFrames { get; set; } = 256;
}
