using System.Diagnostics;
using Harness.Hosting;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using OpenTelemetry;
using OpenTelemetry.Trace;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Telemetry;

/// <summary>One trace from <c>run::start</c> to the last step, exported through OpenTelemetry's in-memory exporter.</summary>
public sealed class TurnTracingTests
{
    [Fact]
    public async Task A_run_is_one_trace_with_steps_provider_streams_and_tool_calls_nested_in_it()
    {
        var exported = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(HarnessTelemetry.Name, "Microsoft.Orleans.*", "test")
            .AddInMemoryExporter(exported)
            .Build();
        using var testSource = new ActivitySource("test");
        await using var h = await HarnessCluster.StartAsync();
        h.Tools.Register("test::traced", (_, _) => Task.FromResult(WireJson.Parse("1")));
        var model = h.Workspace.WriteScript("traced", Rounds(Call("t1", "test::traced"), Text("done")));
        var sid = Runs.NewSession();

        ActivityTraceId traceId;
        using (var root = testSource.StartActivity("console.chat.send"))
        {
            Assert.NotNull(root);
            traceId = root.TraceId;
            await h.Turn(sid).Start(Runs.Start(sid, model));
        }
        await h.WaitForTerminalAsync(sid);
        await Task.Delay(200);
        tracing.ForceFlush();

        List<Activity> spans;
        lock (exported)
        {
            spans = [.. exported.Where(a => a.TraceId == traceId)];
        }
        var steps = spans.Where(s => s.OperationName.StartsWith("turn.step ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["turn.step provisioning", "turn.step assistant_streaming", "turn.step function_execute", "turn.step steering_check", "turn.step assistant_streaming", "turn.step steering_check"],
            steps.OrderBy(s => s.StartTimeUtc).Select(s => s.OperationName));
        var tool = Assert.Single(spans, s => s.OperationName == "tool.call test::traced");
        Assert.Equal(steps.Single(s => s.OperationName == "turn.step function_execute").SpanId, tool.ParentSpanId);
        Assert.Equal(2, spans.Count(s => s.OperationName == "provider.stream scripted"));
        Assert.Contains(spans, s => s.Source.Name == "Microsoft.Orleans.Application" && s.OperationName.Contains("ITurnGrain/Start"));
        Assert.Contains(spans, s => s.Source.Name == "Microsoft.Orleans.Application" && s.OperationName.Contains("ISessionGrain/AppendBatch"));
    }
}
