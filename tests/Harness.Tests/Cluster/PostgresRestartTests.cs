using Harness.Events;
using Harness.Messages;
using Harness.Sessions;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Orleans.Runtime;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Cluster;

/// <summary>
/// Two silo processes on a PostgreSQL server of the test's own, which goes away mid-turn: restarted with
/// <c>-m immediate</c> (every connection cut), or stopped for 30 s. The turn pauses and then finishes; its tool ran
/// once (counted by the tool's own file), the transcript and the subscriber's events are whole, both silos are still
/// members, and the silo logs say what happened.
/// </summary>
public sealed class PostgresRestartTests
{
    [Fact]
    public Task A_turn_finishes_across_an_immediate_PostgreSQL_restart_without_running_its_tool_twice() =>
        RunAcrossAsync(pg => pg.RestartImmediateAsync(), loggedStall: null);  // back before the step's write: nothing stalls

    [Fact]
    public Task A_turn_waits_out_PostgreSQL_being_away_for_30_seconds_and_finishes() =>
        RunAcrossAsync(async pg =>
        {
            await pg.StopImmediateAsync();
            await Task.Delay(TimeSpan.FromSeconds(30));
            await pg.StartAgainAsync();
        }, loggedStall: "step assistant_streaming crashed; the wake-up reminder will retry");

    private static async Task RunAcrossAsync(Func<PrivatePostgres, Task> outage, string? loggedStall)
    {
        await using var pg = await PrivatePostgres.StartAsync();
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules:\n  - \"demo::*\"\n");
        var sid = Runs.NewSession();
        // The outage starts while the model "thinks"; the step's write, the tool's checkpoint and the rest come after.
        var model = workspace.WriteScript("pg-restart", Rounds(
            $$"""{{Text("working")}},{"type":"delay","ms":2500},{{Call("p1", "demo::append_line", $$"""{"file":"{{sid}}.log","line":"once"}""")}}""",
            $"{Text("finished")}"));
        var demoDir = Path.Combine(workspace.Root, "demo");
        var id = Guid.NewGuid().ToString("N")[..10];
        var first = new SiloSettings($"pg-{id}", $"pg-{id}", pg.ConnectionString, workspace, demoDir);
        var second = first with { SiloPort = SiloProcess.FreePort(), GatewayPort = SiloProcess.FreePort(), HttpPort = SiloProcess.FreePort() };
        await using var siloA = SiloProcess.Start(first);
        await using var siloB = SiloProcess.Start(second);
        await using var client = await ClusterClient.ConnectAsync(first.ClusterId, first.ServiceId, first.ConnectionString);
        await WaitAsync(async () => (await client.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count == 2);
        var turn = client.Client.GetGrain<ITurnGrain>(sid);
        await using var events = await EventRecorder.StartAsync(client.Client, sid);

        await turn.Start(Runs.Start(sid, model));
        await WaitAsync(async () => (await turn.GetState())?.State == TurnStates.AssistantStreaming);
        await outage(pg);

        await WaitAsync(async () =>
        {
            try
            {
                return (await turn.GetState())?.State == TurnStates.Stopped;
            }
            catch (Exception)
            {
                return false;  // calls fail while the grain cannot load its state
            }
        }, seconds: 120);

        var silos = $"silo A:\n{siloA.Output}\nsilo B:\n{siloB.Output}";
        Assert.Single(File.ReadAllLines(Path.Combine(demoDir, sid + ".log")));
        var transcript = await client.Client.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal([Roles.User, Roles.Assistant, Roles.FunctionResult, Roles.Assistant], transcript.Messages.Select(m => m.Role));
        Assert.Equal("finished", transcript.Messages[^1].Text);
        await events.WaitForAsync(e => e.Type == AgentEventTypes.AgentEnd, seconds: 30);
        var seqs = events.Frames.Select(f => f.Seq).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.Single(events.Events, e => e.Type == AgentEventTypes.FunctionExecutionEnd);
        await WaitAsync(async () => (await client.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count == 2);
        Assert.False(siloA.HasExited || siloB.HasExited, silos);
        if (loggedStall is not null)
        {
            // What the logs say: the membership table could not be updated, and which step could not be stored and is retried.
            Assert.Contains("will retry shortly", silos, StringComparison.Ordinal);
            Assert.Contains($"Turn {sid}: {loggedStall}", silos, StringComparison.Ordinal);
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(250);
        }
    }
}
