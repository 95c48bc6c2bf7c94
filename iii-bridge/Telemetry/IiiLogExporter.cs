using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Harness.Bridge.Telemetry;

/// <summary>
/// Log records as <c>LOGS</c>-prefixed OTLP/JSON <c>ExportLogsServiceRequest</c> frames. Records of the telemetry
/// socket itself are skipped, so a failing export cannot feed itself.
/// </summary>
public sealed class IiiLogExporter(IiiOtelSocket socket, IOptions<IiiTelemetryOptions> options) : BaseExporter<LogRecord>
{
    public const string Prefix = "LOGS";

    private static readonly string OwnCategory = typeof(IiiOtelSocket).Namespace!;

    public override ExportResult Export(in Batch<LogRecord> batch)
    {
        var kept = new List<LogSnapshot>();
        foreach (var record in batch)
        {
            if (record.CategoryName?.StartsWith(OwnCategory, StringComparison.Ordinal) != true)
            {
                kept.Add(LogSnapshot.Of(record));
            }
        }
        if (kept.Count > 0)
        {
            socket.Enqueue(OtlpJson.Frame(Prefix, OtlpJson.Logs(kept, IiiTelemetryResource.Attributes(ParentProvider, options.Value))));
        }
        return ExportResult.Success;
    }
}
