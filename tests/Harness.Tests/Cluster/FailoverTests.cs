using System.Collections.Concurrent;
using System.Diagnostics;
using Harness.Events;
using Harness.Messages;
using Harness.Sessions;
using Harness.Tests.Infrastructure;
using Harness.Tests.Storage;
using Harness.Turns;
using Orleans.Runtime;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Cluster;

/// <summary>
/// Two silo processes on PostgreSQL membership: kill -9 the one running a turn; the other finishes it, and a client
/// subscribed to the session's agent events still receives every event up to <c>agent_end</c>.
/// </summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task Killing_the_silo_that_hosts_a_running_turn_lets_the_survivor_finish_it_without_duplicates()
    {
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules:\n  - \"demo::*\"\n");
        var sid = Runs.NewSession();
        var model = workspace.WriteScript("failover", Rounds(
            $$"""{{Text("working")}},{"type":"delay","ms":4000},{{Call("f1", "demo::append_line", $$"""{"file":"{{sid}}.log","line":"once"}""")}}""",
            $"{Text("finished")}"));
        var demoDir = Path.Combine(workspace.Root, "demo");
        var id = Guid.NewGuid().ToString("N")[..10];
        var first = new SiloSettings($"fo-{id}", $"fo-{id}", PostgresDatabase.ConnectionString, workspace, demoDir);
        var second = first with { SiloPort = SiloProcess.FreePort(), GatewayPort = SiloProcess.FreePort(), HttpPort = SiloProcess.FreePort() };
        await using var siloA = SiloProcess.Start(first);
        await using var siloB = SiloProcess.Start(second);
        await using var client = await ClusterClient.ConnectAsync(first.ClusterId, first.ServiceId, first.ConnectionString);
        await WaitForSilosAsync(client.Client, 2);
        var turn = client.Client.GetGrain<ITurnGrain>(sid);
        // A slow subscriber: when the silo dies, events it sent are still on their way; what it stored comes again.
        await using var events = await EventRecorder.StartAsync(client.Client, sid, slowConsumer: TimeSpan.FromMilliseconds(200));

        await turn.Start(Runs.Start(sid, model));
        await WaitAsync(async () => (await turn.GetState())?.State == TurnStates.AssistantStreaming);
        var host = await client.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(turn);
        Assert.NotNull(host);
        var (victim, survivor) = host.Endpoint.Port == first.SiloPort ? (siloA, siloB) : (siloB, siloA);
        var killedAt = Stopwatch.StartNew();
        await victim.KillAsync();

        await WaitAsync(async () =>
        {
            try
            {
                return (await turn.GetState())?.State == TurnStates.Stopped;
            }
            catch (Exception)
            {
                return false;  // calls fail until the dead silo is declared dead; clients retry
            }
        }, seconds: 90);
        var recovered = killedAt.Elapsed;

        Assert.Single(File.ReadAllLines(Path.Combine(demoDir, sid + ".log")));
        var transcript = await client.Client.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal([Roles.User, Roles.Assistant, Roles.FunctionResult, Roles.Assistant], transcript.Messages.Select(m => m.Role));
        Assert.Equal("finished", transcript.Messages[^1].Text);
        Assert.True(recovered < TimeSpan.FromSeconds(90), $"recovered after {recovered}:\n{survivor.Output}");

        // Durable delivery: every event reached the subscriber despite the kill. Redelivered or re-emitted events
        // may come twice (consumers dedupe by item_id), but no sequence number may be missing.
        await events.WaitForAsync(e => e.Type == AgentEventTypes.AgentEnd, seconds: 30);
        var seqs = events.Frames.Select(f => f.Seq).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
    }

    private static async Task WaitForSilosAsync(IClusterClient client, int count)
    {
        await WaitAsync(async () => (await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count >= count);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(200);
        }
    }
}
