using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Harness.Hosting;

/// <summary>The harness's own spans and metrics (FSM steps, tool calls, provider streams), nested under Orleans' call spans.</summary>
public static class HarnessTelemetry
{
    public const string Name = "Harness";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Steps = Meter.CreateCounter<long>("harness.turn.steps", description: "FSM steps run, by state and outcome");

    public static readonly Counter<long> Turns = Meter.CreateCounter<long>("harness.turn.runs", description: "Runs started");

    public static readonly Histogram<double> ToolLatency = Meter.CreateHistogram<double>("harness.tool.duration", "ms", "Tool call latency");

    public static readonly Counter<long> Tokens = Meter.CreateCounter<long>("harness.provider.tokens", description: "Tokens reported by providers, by direction");
}
