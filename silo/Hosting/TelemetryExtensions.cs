using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Harness.Silo.Hosting;

/// <summary>Traces (Orleans + harness spans), metrics and logs; OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, else console when asked.</summary>
public static class TelemetryExtensions
{
    public static WebApplicationBuilder AddHarnessTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var console = builder.Configuration.GetValue("Harness:Telemetry:Console", false);
        var otel = builder.Services.AddOpenTelemetry()
            .WithTracing(t =>
            {
                t.AddSource(HarnessTelemetry.Name, "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage");
                if (console)
                {
                    t.AddConsoleExporter();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(HarnessTelemetry.Name, "Microsoft.Orleans");
                if (console)
                {
                    m.AddConsoleExporter();
                }
            });
        otel.WithLogging(l =>
        {
            if (console)
            {
                l.AddConsoleExporter();
            }
        });
        if (otlp)
        {
            // One switch for all three signals (traces, metrics, logs).
            otel.UseOtlpExporter();
        }
        return builder;
    }
}
