using System.Diagnostics;
using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Microsoft.Extensions.DependencyInjection;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>Several bridge silos on one engine, and trace context flowing from an iii caller into grain calls.</summary>
public sealed class BridgeSiloTests : IAsyncLifetime
{
    private BridgeCluster _h = null!;

    public async ValueTask InitializeAsync() => _h = await BridgeCluster.StartAsync(silos: 2);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private IReadOnlyList<IiiWorkerClient> Bridges =>
        [.. _h.Cluster.Silos.Select(s => _h.Cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<IiiWorkerClient>())];

    [Fact]
    public async Task Every_bridge_silo_registers_the_same_functions_and_either_gives_the_same_answer()
    {
        var bridges = Bridges;
        Assert.Equal(2, bridges.Select(b => b.WorkerId).Distinct().Count());
        Assert.All(bridges, b => Assert.Contains(_h.Engine.Frames, f => f.WorkerId == b.WorkerIdOf("run::start") && f.Type == "registerfunction" && f.Frame["id"]!.GetValue<string>() == "run::start"));

        var model = _h.Workspace.WriteScript("two-silos", Rounds($"{Text("same answer")},{Stop("end")}"));
        var sid = Runs.NewSession();
        _h.Engine.Claim("run::start", bridges[0].WorkerIdOf("run::start")!);
        var started = await _h.Engine.InvokeAsync("run::start", JsonNode.Parse(
            $$"""{"session_id":"{{sid}}","provider":"scripted","model":"{{model}}","messages":[{"role":"user","content":[{"type":"text","text":"hi"}],"timestamp":1}]}"""));
        Assert.True(started!["started"]!.GetValue<bool>());
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);

        var views = new List<string>();
        foreach (var bridge in bridges)
        {
            _h.Engine.Claim("turn::get_state", bridge.WorkerIdOf("turn::get_state")!);
            views.Add((await _h.Engine.InvokeAsync("turn::get_state", new JsonObject { ["session_id"] = sid }))!.ToJsonString());
        }
        Assert.Equal(views[0], views[1]);
        Assert.Contains(_h.Engine.Frames, f => f.WorkerId == bridges[1].WorkerIdOf("turn::get_state") && f.Type == "invocationresult" && f.FunctionId == "turn::get_state");
    }

    [Fact]
    public async Task The_callers_trace_id_reaches_the_grain_call_made_for_the_invocation()
    {
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        var seen = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) || source.Name == IiiTraceContext.Source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId.ToHexString() == traceId)
                {
                    lock (seen)
                    {
                        seen.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await _h.Engine.InvokeAsync("turn::get_state", new JsonObject { ["session_id"] = "traced-session" },
            traceparent: $"00-{traceId}-b7ad6b7169203331-01", baggage: "session_id=traced-session");

        await EngineStandIn.WaitUntilAsync(() => { lock (seen) { return seen.Any(a => a.DisplayName.Contains("GetState", StringComparison.Ordinal)); } },
            TimeSpan.FromSeconds(10), "the grain call span in the caller's trace");
        lock (seen)
        {
            Assert.Contains(seen, a => a.DisplayName == "execute turn::get_state" && a.ParentSpanId.ToHexString() == "b7ad6b7169203331");
        }
    }
}
