using Harness.Approvals;
using Harness.Events;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using static Harness.Tests.Infrastructure.Scripts;
using static Harness.Turns.TurnStates;

namespace Harness.Tests.Turns;

/// <summary>Drives real turns through every reachable row of the transition table and checks what the events report.</summary>
public sealed class TransitionCoverageTests
{
    [Fact]
    public async Task Every_reachable_table_transition_is_observed_in_turn_state_changed_events()
    {
        await using var h = await HarnessCluster.StartAsync();
        h.Tools.Register("test::ok", (_, _) => Task.FromResult(WireJson.Parse("\"ok\"")));
        h.Tools.Register("test::bye", (_, _) => Task.FromResult(WireJson.Parse("""{"content":[{"type":"text","text":"bye"}],"terminate":true}""")));
        h.Tools.Register("ask::bye", (_, _) => Task.FromResult(WireJson.Parse("""{"content":[{"type":"text","text":"bye"}],"terminate":true}""")));
        h.Tools.Register("ask::one", (_, _) => Task.FromResult(WireJson.Parse("1")));
        h.Tools.Register("ask::two", (_, _) => Task.FromResult(WireJson.Parse("2")));
        var observed = new HashSet<(string, string)>();

        async Task RunAsync(string model, Func<string, Task>? whileRunning = null, int? maxTurns = null)
        {
            var sid = Runs.NewSession();
            await using var events = await h.RecordAsync(sid);
            await h.Turn(sid).Start(Runs.Start(sid, model, maxTurns: maxTurns));
            if (whileRunning is not null)
            {
                await whileRunning(sid);
            }
            await h.WaitForTerminalAsync(sid);
            await events.WaitForAsync(e => e.Type == AgentEventTypes.TurnStateChanged && e.NewValue!.State is Stopped or Failed);
            foreach (var e in events.Events.Where(e => e.Type == AgentEventTypes.TurnStateChanged && e.OldValue is not null))
            {
                observed.Add((e.OldValue!.State, e.NewValue!.State));
            }
        }

        Task Resolve(string sid, string call) =>
            h.Turn(sid).ResolveApproval(new ApprovalResolveRequest { SessionId = sid, FunctionCallId = call, Decision = "allow" });

        await RunAsync(h.Workspace.WriteScript("text", Rounds(Text("hi"))));
        await RunAsync(h.Workspace.WriteScript("tool", Rounds(Call("c", "test::ok"), Text("done"))));
        await RunAsync(h.Workspace.WriteScript("error", Rounds(Error("nope", "permanent"))));
        await RunAsync(h.Workspace.WriteScript("bye", Rounds(Call("c", "test::bye"))));
        await RunAsync(h.Workspace.WriteScript("loop", Rounds(Call("c", "test::ok"))), maxTurns: 1);
        await RunAsync(h.Workspace.WriteScript("ask2", Rounds($"{Call("a", "ask::one")},{Call("b", "ask::two")}", Text("ok"))), async sid =>
        {
            await h.WaitForStateAsync(sid, v => v.State == FunctionAwaitingApproval);
            await Resolve(sid, "a");
            await h.WaitForStateAsync(sid, v => v.AwaitingApproval is { Count: 1 });
            await Resolve(sid, "b");
        });
        await RunAsync(h.Workspace.WriteScript("askbye", Rounds(Call("a", "ask::bye"))), async sid =>
        {
            await h.WaitForStateAsync(sid, v => v.State == FunctionAwaitingApproval);
            await Resolve(sid, "a");
        });
        await RunAsync(h.Workspace.WriteScript("hang", Rounds(Hang)), async sid =>
        {
            await h.WaitForStateAsync(sid, v => v.State == AssistantStreaming);
            await h.Turn(sid).Abort();
        });

        var expected = TurnTransitions.Table
            .Select(t => (t.From, t.To))
            .Where(t => t.To != Failed)                                        // covered by TurnFailureTests
            .Where(t => t != (FunctionAwaitingApproval, FunctionExecute))       // needs a call neither run nor parked: our runner never leaves one
            .ToHashSet();
        Assert.Empty(expected.Except(observed));
        Assert.All(observed, o => Assert.True(TurnTransitions.IsAllowed(o.Item1, o.Item2), $"{o.Item1} -> {o.Item2} is not in the table"));
    }
}
