using System.Diagnostics;
using System.Text.Json.Nodes;
using Harness.Tests.Bridge;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Tests.Storage;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Cluster;

/// <summary>
/// The bus survives any bridge silo: 2 or 3 silo processes on PostgreSQL, all bridging to one engine (stand-in with
/// the engine's registration rules), and a real iii-sdk caller that keeps calling <c>turn::get_state</c>,
/// <c>harness::trigger</c> and <c>approval::resolve</c>. The silo whose connections route those ids is killed
/// (kill -9 by pid) — with 3 silos the next owner is then stopped with SIGTERM — and every call is still answered:
/// the survivors register the dead silo's ids again and the caller retries the calls that fell into the gap.
/// </summary>
public sealed class BusFailoverProcessTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(180);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_call_of_an_iii_client_is_answered_while_bridge_silos_are_killed(int count)
    {
        NodePeer.RequireAvailable();
        using var workspace = new TestWorkspace();
        workspace.WritePermissions(TestWorkspace.DefaultPermissions);
        var model = workspace.WriteScript("bus-failover", Rounds($"{Text("answered")},{Stop("end")}"));
        await using var engine = await EngineStandIn.StartAsync();
        var id = Guid.NewGuid().ToString("N")[..10];
        var first = new SiloSettings($"bus-{id}", $"bus-{id}", PostgresDatabase.ConnectionString, workspace, Path.Combine(workspace.Root, "demo"));
        var bridge = new Dictionary<string, string>
        {
            ["Harness__Bridge__EngineUrl"] = engine.Url.ToString(),
            ["Harness__Bridge__ReconnectInitialDelay"] = "00:00:00.100",
            ["Harness__Bridge__ReconnectMaxDelay"] = "00:00:00.500",
        };
        var silos = Enumerable.Range(0, count)
            .Select(i => SiloProcess.Start(i == 0 ? first : first with { SiloPort = SiloProcess.FreePort(), GatewayPort = SiloProcess.FreePort(), HttpPort = SiloProcess.FreePort() }, bridge))
            .ToList();
        try
        {
            await Task.WhenAll(silos.Select(s => s.WaitHealthyAsync(Startup)));
            var pids = silos.Select(s => s.Pid).ToHashSet();
            await EngineStandIn.WaitUntilAsync(
                () => engine.WorkersNamed("harness").Count(w => pids.Contains(Pid(w))) == count && engine.FunctionOwner("turn::get_state") is not null,
                TimeSpan.FromSeconds(60), "every silo's bridge to register");
            // The silo's full function set shows up as the TypeScript package's workers.
            var names = (await engine.InvokeAsync("engine::workers::list", new JsonObject()))!["workers"]!.AsArray()
                .Select(w => w!["name"]!.GetValue<string>()).ToHashSet();
            Assert.Superset(new HashSet<string> { "harness", "turn-orchestrator", "approval-gate", "session", "models-catalog", "llm-budget", "context-compaction" }, names);
            var served = engine.Workers.Where(w => pids.Contains(Pid(w))).SelectMany(w => engine.FunctionsOwnedBy(w.Id))
                .Where(f => !f.StartsWith("harness::bridge::", StringComparison.Ordinal)).ToHashSet();
            Assert.Superset(new HashSet<string> { "turn::get_state", "harness::trigger", "approval::resolve" }, served);

            var stopFile = Path.Combine(workspace.Root, "stop-calling");
            var caller = NodePeer.RunAsync("keep-calling.mjs", [engine.Url.ToString(), model, stopFile], timeoutSeconds: 600);
            var gaps = new List<string>();
            await WaitForRoundsAsync(engine, caller, 3);

            gaps.Add(await TakeDownOwnerAsync(engine, silos, served, kill: true));
            await WaitForRoundsAsync(engine, caller, CompletedRounds(engine) + 3);
            if (count == 3)
            {
                gaps.Add(await TakeDownOwnerAsync(engine, silos, served, kill: false));
                await WaitForRoundsAsync(engine, caller, CompletedRounds(engine) + 3);
            }
            await File.WriteAllTextAsync(stopFile, "", TestContext.Current.CancellationToken);

            var run = await caller;
            run.AssertSucceeded();
            var calls = run.Lines.Where(l => l["event"]!.GetValue<string>() == "call").ToList();
            Assert.All(calls, c => Assert.True(c["ok"]!.GetValue<bool>(), c.ToJsonString()));
            var rounds = run.Lines.Count(l => l["event"]!.GetValue<string>() == "round");
            Assert.Equal(rounds * 3, calls.Count);
            Assert.True(rounds >= 6, $"only {rounds} rounds");
            var retried = calls.Where(c => c["attempts"]!.GetValue<int>() > 1).ToList();
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{count} silos, {rounds} rounds, {calls.Count} calls all answered; {retried.Count} needed retries " +
                $"(longest {calls.Max(c => c["ms"]!.GetValue<int>())} ms, errors seen: {string.Join(",", retried.SelectMany(c => c["errors"]!.AsArray()).Select(e => e!.GetValue<string>()).Distinct())}); " +
                $"ids registered again after the engine dropped the dead worker: {string.Join("; ", gaps)}");
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    /// <summary>Kills (SIGKILL) or stops (SIGTERM) the silo whose connection routes <c>turn::get_state</c>; returns the measured gap.</summary>
    private static async Task<string> TakeDownOwnerAsync(EngineStandIn engine, List<SiloProcess> silos, HashSet<string> served, bool kill)
    {
        var owner = engine.Workers.Single(w => w.Id == engine.FunctionOwner("turn::get_state"));
        var victim = silos.Single(s => s.Pid == Pid(owner));
        if (kill)
        {
            await victim.KillAsync();
        }
        else
        {
            using var term = Process.Start("kill", ["-TERM", victim.Pid.ToString()])!;
            await term.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(await victim.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the silo did not stop on SIGTERM");
        }
        await EngineStandIn.WaitUntilAsync(() => engine.Workers.All(w => Pid(w) != victim.Pid), TimeSpan.FromSeconds(30), "the engine to drop the dead silo's connections");
        var dropped = Stopwatch.StartNew();
        var alive = silos.Where(s => !s.HasExited).Select(s => s.Pid).ToHashSet();
        await EngineStandIn.WaitUntilAsync(
            () => served.All(f => engine.FunctionOwner(f) is { } o && engine.Workers.FirstOrDefault(w => w.Id == o) is { } w && alive.Contains(Pid(w))),
            TimeSpan.FromSeconds(30), "the surviving silos to register every id again");
        return $"{(kill ? "kill -9" : "SIGTERM")}: {dropped.ElapsedMilliseconds} ms";
    }

    /// <summary>Rounds the caller completed: successful <c>approval::resolve</c> answers seen by the engine.</summary>
    private static int CompletedRounds(EngineStandIn engine) =>
        engine.Frames.Count(f => f.Type == "invocationresult" && f.FunctionId == "approval::resolve" && !f.Frame.ContainsKey("error"));

    private static async Task WaitForRoundsAsync(EngineStandIn engine, Task<NodeResult> caller, int rounds) =>
        await EngineStandIn.WaitUntilAsync(() => CompletedRounds(engine) >= rounds || caller.IsCompleted, TimeSpan.FromSeconds(180), $"{rounds} rounds of calls");

    private static int Pid(StandInWorker worker) => worker.Metadata?["pid"]?.GetValue<int>() ?? -1;
}
