using System.Diagnostics;
using Microsoft.Extensions.Options;
using OpenTelemetry;

namespace Harness.Bridge.Telemetry;

/// <summary>Finished spans as <c>OTLP</c>-prefixed OTLP/JSON <c>ExportTraceServiceRequest</c> frames on the engine's <c>/otel</c> socket.</summary>
public sealed class IiiSpanExporter(IiiOtelSocket socket, IOptions<IiiTelemetryOptions> options) : BaseExporter<Activity>
{
    public const string Prefix = "OTLP";

    public override ExportResult Export(in Batch<Activity> batch)
    {
        socket.Enqueue(OtlpJson.Frame(Prefix, OtlpJson.Traces(batch, IiiTelemetryResource.Attributes(ParentProvider, options.Value))));
        return ExportResult.Success;
    }
}
