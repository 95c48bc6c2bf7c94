using Harness.Tests.Infrastructure;
using Harness.Tests.Storage;
using Harness.Turns;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Turns;

/// <summary>
/// What a durable turn costs in storage writes, counted from the rows' version column (each grain-state write adds
/// one): the figures issue F is about, kept from creeping back. Counts, not times.
/// </summary>
public sealed class TurnWriteCountTests
{
    [Fact]
    public async Task A_tool_turn_on_a_new_session_writes_the_turn_six_times_and_the_transcript_three_times()
    {
        await using var h = await HarnessCluster.StartAsync();
        h.Workspace.WritePermissions("rules:\n  - \"count::*\"\n");
        var calls = 0;
        h.Tools.Register("count::noop", (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(WireJson.Parse("""{"ok":true}"""));
        });
        var model = h.Workspace.WriteScript("counted", Rounds(
            $"{Call("c1", "count::noop")},{Stop("tool_use")}",
            $"{Text("done")},{Stop("end")}"));
        var sid = Runs.NewSession();

        await h.Turn(sid).Start(Runs.Start(sid, model));
        var final = await h.WaitForTerminalAsync(sid);

        Assert.Equal(TurnStates.Stopped, final.State);
        Assert.Equal(1, calls);
        // start+provisioning, assistant_streaming, function_execute (triggered checkpoint + its own write),
        // steering_check, assistant_streaming+steering_check
        Assert.Equal(6, await WritesAsync(h, "turn"));
        // the user message, the round (assistant + result), the answer
        Assert.Equal(3, await WritesAsync(h, "session"));
    }

    private static async Task<int> WritesAsync(HarnessCluster h, string grainType) =>
        (int)(await PostgresDatabase.ScalarAsync<long>(
            "SELECT coalesce(sum(version), 0) FROM orleansstorage WHERE serviceid = $1 AND graintypestring = $2",
            TestContext.Current.CancellationToken, h.ServiceId, grainType));
}
