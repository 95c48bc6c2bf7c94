using System.Diagnostics;
using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Tests.Bridge;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using static Harness.Tests.Bridge.TestClients;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Telemetry;

/// <summary>The bridge's spans and logs reach the engine's <c>/otel</c> socket as OTLP/JSON, one trace per console send.</summary>
public sealed class EngineTraceExportTests
{
    private const string Permissions = """
        rules:
          - "peer::*"
        """;

    [Fact]
    public async Task A_triggered_run_is_one_trace_on_the_engine_from_harness_trigger_through_the_steps_to_the_tool_call()
    {
        await using var h = await BridgeCluster.StartAsync(permissions: Permissions, settings: new Dictionary<string, string?>
        {
            ["Harness:Bridge:Telemetry:ExportInterval"] = "00:00:00.100",
            ["Harness:Bridge:Telemetry:ServiceName"] = "harness-under-test",
        });
        var peer = await StartAsync(h.Engine, BridgeFunctionCatalog.Of(Function("peer::lookup", _ => new { answer = 42 })), name: "peer");
        try
        {
            var model = h.Workspace.WriteScript("traced", Rounds($"{Call("c1", "peer::lookup")},{Stop("function_call")}", $"{Text("done")},{Stop("end")}"));
            var sid = Runs.NewSession();
            var traceId = ActivityTraceId.CreateRandom();
            var consoleSpan = ActivitySpanId.CreateRandom();
            var start = JsonNode.Parse(JsonSerializer.Serialize(Runs.Start(sid, model), WireJson.Options));

            await h.Engine.InvokeAsync("harness::trigger", new JsonObject { ["session_id"] = sid, ["message_id"] = "m1", ["payload"] = start },
                TimeSpan.FromSeconds(15), traceparent: $"00-{traceId}-{consoleSpan}-01");
            await h.WaitForTerminalAsync(sid);

            var trace = traceId.ToHexString();
            List<JsonObject> spans = [];
            await EngineStandIn.WaitUntilAsync(() =>
            {
                spans = [.. h.Engine.OtelSpans.Where(s => s["traceId"]!.GetValue<string>() == trace)];
                return spans.Count(s => Name(s) == "turn.step steering_check") == 2 && spans.Any(s => Name(s) == "execute peer::lookup");
            }, TimeSpan.FromSeconds(30), "the run's spans on the engine's /otel socket");

            var trigger = Assert.Single(spans, s => Name(s) == "execute harness::trigger");
            Assert.Equal(consoleSpan.ToHexString(), trigger["parentSpanId"]!.GetValue<string>());
            Assert.Equal(1, trigger["kind"]!.GetValue<int>());  // SPAN_KIND_INTERNAL
            Assert.Equal("harness-under-test", trigger["_service"]!.GetValue<string>());
            Assert.Equal(
                ["turn.step provisioning", "turn.step assistant_streaming", "turn.step function_execute", "turn.step steering_check", "turn.step assistant_streaming", "turn.step steering_check"],
                spans.Where(s => Name(s).StartsWith("turn.step ", StringComparison.Ordinal)).OrderBy(Start).Select(Name));
            Assert.Equal(2, spans.Count(s => Name(s) == "provider.stream scripted"));
            var tool = Assert.Single(spans, s => Name(s) == "tool.call peer::lookup");
            var step = spans.Single(s => Name(s) == "turn.step function_execute");
            Assert.Equal(step["spanId"]!.GetValue<string>(), tool["parentSpanId"]!.GetValue<string>());
            var execute = Assert.Single(spans, s => Name(s) == "execute peer::lookup");  // the peer worker's span, parented across the bus
            Assert.True(IsDescendant(execute, tool, spans));
            Assert.All(spans.Where(s => Name(s).StartsWith("turn.step ", StringComparison.Ordinal)), s => Assert.True(IsDescendant(s, trigger, spans), Name(s)));
            Assert.All(spans, s => Assert.True(ulong.Parse(s["endTimeUnixNano"]!.GetValue<string>()) >= Start(s)));

            await EngineStandIn.WaitUntilAsync(() => h.Engine.OtelLogs.Any(l => l["_scope"]?.GetValue<string>() == "Orleans.Runtime.Silo"),
                TimeSpan.FromSeconds(30), "the silo's log records on the engine's /otel socket");
            var logs = h.Engine.OtelLogs;
            Assert.All(logs, l => Assert.InRange(l["severityNumber"]!.GetValue<int>(), 1, 24));
            Assert.All(logs, l => Assert.Equal("harness-under-test", l["_service"]!.GetValue<string>()));
            Assert.Contains(logs, l => l["body"]!["stringValue"]!.GetValue<string>().StartsWith("Starting silo", StringComparison.Ordinal));
            Assert.All(h.Engine.OtelFrames, f => Assert.Contains(f.Prefix, (string[])["OTLP", "LOGS"]));
        }
        finally
        {
            await peer.StopAsync();
        }
    }

    private static string Name(JsonObject span) => span["name"]!.GetValue<string>();

    private static ulong Start(JsonObject span) => ulong.Parse(span["startTimeUnixNano"]!.GetValue<string>());

    /// <summary>True when <paramref name="span"/> reaches <paramref name="ancestor"/> by parent links among <paramref name="spans"/>.</summary>
    private static bool IsDescendant(JsonObject span, JsonObject ancestor, IReadOnlyList<JsonObject> spans)
    {
        var byId = spans.GroupBy(s => s["spanId"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.First());
        var target = ancestor["spanId"]!.GetValue<string>();
        for (var current = span; current?["parentSpanId"]?.GetValue<string>() is { } parent; current = byId.GetValueOrDefault(parent))
        {
            if (parent == target)
            {
                return true;
            }
        }
        return false;
    }
}
