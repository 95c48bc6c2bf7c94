using System.Text.Json.Nodes;
using Harness.Bridge.Events;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Microsoft.Extensions.DependencyInjection;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>
/// <c>agent::events</c> writes are retried in order until the engine takes them: a console-like subscriber (real
/// iii-sdk, stream trigger with group = session id, dedupe by item_id) sees every seq of a turn that runs across an
/// engine restart.
/// </summary>
public sealed class AgentEventsAcrossEngineRestartTests
{
    [Fact]
    public async Task A_subscriber_sees_every_seq_of_a_turn_that_runs_across_an_engine_restart()
    {
        NodePeer.RequireAvailable();
        // Writes time out after 1 s while the engine is away: without retries they would be lost.
        await using var h = await BridgeCluster.StartAsync(settings: new Dictionary<string, string?> { ["Harness:Bridge:EventPublishTimeout"] = "00:00:01" });
        var sink = h.Cluster.GetSiloServiceProvider(h.Cluster.Silos[0].SiloAddress).GetRequiredService<IiiAgentEventSink>();
        var port = h.Engine.Url.Port;
        var sid = Runs.NewSession();
        var model = h.Workspace.WriteScript("restart", Rounds(
            $$"""{{Text("one")}},{"type":"delay","ms":1500},{{Text("two")}},{"type":"delay","ms":1500},{{Text("three")}},{{Stop("end")}}"""));
        var subscriber = NodePeer.RunAsync("subscribe-across-restart.mjs", [h.Engine.Url.ToString(), sid], timeoutSeconds: 120);
        await EngineStandIn.WaitUntilAsync(
            () => h.Engine.TriggerBindings.Any(b => b["config"]?["group_id"]?.GetValue<string>() == sid) || subscriber.IsCompleted,
            TimeSpan.FromSeconds(30), "the subscriber's stream trigger");
        Assert.False(subscriber.IsCompleted, "the subscriber exited early");

        await h.Turn(sid).Start(Runs.Start(sid, model));
        await EngineStandIn.WaitUntilAsync(() => h.Engine.StreamItems("agent::events", sid).Count >= 2, TimeSpan.FromSeconds(30), "the first events at the engine");
        await h.Engine.DisposeAsync();
        // Keep the engine away until a write timed out and is being retried.
        await EngineStandIn.WaitUntilAsync(() => sink.Retries > 0, TimeSpan.FromSeconds(30), "a write to time out and be retried");
        await using var restarted = await EngineStandIn.StartAsync(port);

        var run = await subscriber;
        run.AssertSucceeded();
        var items = run.Lines.Where(l => l["event"]!.GetValue<string>() == "item").ToList();
        var last = run.Lines.Single(l => l["event"]!.GetValue<string>() == "done")["last"]!.GetValue<int>();
        // Item ids are <session>-<seq:8>, and <session>-<seq:8>-<delta:4> for the streamed deltas after stored event seq.
        var seqs = items.Select(l => int.Parse(l["id"]!.GetValue<string>()[(sid.Length + 1)..][..8])).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(1, last), seqs);
        Assert.Equal(TurnStates.Stopped, (await h.Turn(sid).GetState())!.State);
        await EngineStandIn.WaitUntilAsync(() => sink.Backlog == 0, TimeSpan.FromSeconds(30), "the backlog to drain");
        Assert.Equal(0, sink.DroppedFrames);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"seqs 1..{last}: {items.Count(i => i["via"]!.GetValue<string>() == "trigger")} via trigger, " +
            $"{items.Count(i => i["via"]!.GetValue<string>() == "stream::get")} via stream::get; {sink.Retries} retried writes");
    }
}
