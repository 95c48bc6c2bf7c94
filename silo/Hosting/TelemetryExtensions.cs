using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Harness.Silo.Hosting;

/// <summary>
/// Traces (Orleans + harness spans), metrics and logs. With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set all three go over
/// OTLP; otherwise the harness's own spans (steps, provider streams, tool calls) are printed to the console
/// (<c>Harness:Telemetry:Console</c>, default on without OTLP) and metrics too when <c>Harness:Telemetry:ConsoleMetrics</c>.
/// </summary>
public static class TelemetryExtensions
{
    public static WebApplicationBuilder AddHarnessTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var consoleTraces = builder.Configuration.GetValue("Harness:Telemetry:Console", !otlp);
        var consoleMetrics = builder.Configuration.GetValue("Harness:Telemetry:ConsoleMetrics", false);
        var otel = builder.Services.AddOpenTelemetry()
            .WithTracing(t =>
            {
                t.AddSource(HarnessTelemetry.Name, "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage");
                if (consoleTraces)
                {
                    // Orleans' own spans (dashboard polling included) would drown the console; OTLP gets them all.
                    t.AddProcessor(new SourceFilterProcessor(HarnessTelemetry.Name,
                        new SimpleActivityExportProcessor(new ConsoleActivityExporter(new ConsoleExporterOptions()))));
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(HarnessTelemetry.Name, "Microsoft.Orleans");
                if (consoleMetrics)
                {
                    m.AddConsoleExporter();
                }
            })
            .WithLogging();
        if (otlp)
        {
            // One switch for all three signals (traces, metrics, logs).
            otel.UseOtlpExporter();
        }
        return builder;
    }
}
