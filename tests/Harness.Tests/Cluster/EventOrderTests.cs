using Harness.Events;
using Harness.Tests.Infrastructure;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Cluster;

/// <summary>
/// A session's events reach a subscriber in order while a silo joins and leaves the cluster (the stream queues move
/// between silos under leases): a queue handed over may deliver its last events again, never a later one first.
/// </summary>
public sealed class EventOrderTests
{
    [Fact]
    public async Task Events_stay_in_order_while_a_silo_joins_and_leaves()
    {
        await using var h = await HarnessCluster.StartAsync();
        var chunks = string.Join(",", Enumerable.Range(0, 40).Select(i => $$"""{{Text($"p{i} ")}},{"type":"delay","ms":75}"""));
        var model = h.Workspace.WriteScript("order", Rounds(chunks));
        var sid = Runs.NewSession();
        await using var events = await h.RecordAsync(sid);

        await h.Turn(sid).Start(Runs.Start(sid, model));
        await Task.Delay(300);
        var joined = await h.Cluster.StartAdditionalSiloAsync();
        await Task.Delay(1200);
        await h.Cluster.StopSiloAsync(joined);

        await h.WaitForTerminalAsync(sid, seconds: 40);
        await events.WaitForAsync(e => e.Type == AgentEventTypes.AgentEnd, seconds: 30);
        var firstSeen = events.Frames.Select(f => f.Seq).Distinct().ToList();
        Assert.Equal(Enumerable.Range(1, firstSeen.Count).Select(i => (long)i), firstSeen);
    }
}
