using Harness.Bridge.Client;
using Harness.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace Harness.Bridge.Telemetry;

public static class IiiTelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Exports spans (the bridge's <c>execute &lt;function_id&gt;</c>, the harness's steps, provider streams and tool
    /// calls, Orleans' grain calls that carry the trace between them) and logs to the engine's <c>/otel</c> socket.
    /// Called by <c>AddIiiBridge</c> when the bridge is on; <c>Harness:Bridge:Telemetry:Enabled=false</c> turns it off.
    /// </summary>
    public static IServiceCollection AddIiiTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(IiiTelemetryOptions.SectionName);
        services.Configure<IiiTelemetryOptions>(section);
        var options = section.Get<IiiTelemetryOptions>() ?? new IiiTelemetryOptions();
        if (!options.Enabled)
        {
            return services;
        }
        services.TryAddSingleton<IiiOtelSocket>();
        services.AddHostedService(sp => sp.GetRequiredService<IiiOtelSocket>());
        var interval = (int)Math.Clamp(options.ExportInterval.TotalMilliseconds, 10, 60_000);
        var otel = services.AddOpenTelemetry().WithTracing(t => t
            .AddSource([HarnessTelemetry.Name, IiiTraceContext.Source.Name, .. options.Sources])
            .AddProcessor(sp => new BatchActivityExportProcessor(
                new IiiSpanExporter(sp.GetRequiredService<IiiOtelSocket>(), sp.GetRequiredService<IOptions<IiiTelemetryOptions>>()),
                scheduledDelayMilliseconds: interval)));
        if (options.ExportLogs)
        {
            otel.WithLogging(
                l => l.AddProcessor(sp => new BatchLogRecordExportProcessor(
                    new IiiLogExporter(sp.GetRequiredService<IiiOtelSocket>(), sp.GetRequiredService<IOptions<IiiTelemetryOptions>>()),
                    scheduledDelayMilliseconds: interval)),
                o => o.IncludeFormattedMessage = true);
        }
        return services;
    }
}
