using Harness.Approvals;
using Harness.Events;
using Harness.Messages;
using Harness.Sessions;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Turns;

/// <summary>The approval gate inside a turn: parking, decisions, restarts and fail-closed policy.</summary>
public sealed class ApprovalFlowTests
{
    private static string TwoCalls(TestWorkspace w, string name) => w.WriteScript(name, Rounds(
        $"{Call("a", "ask::write", """{"path":"/x"}""")},{Call("b", "test::read")},{Stop("function_call")}",
        $"{Text("all done")},{Stop("end")}"));

    private static (Func<int> Writes, Func<int> Reads) CountingTools(HarnessCluster h)
    {
        var writes = 0;
        var reads = 0;
        h.Tools.Register("ask::write", (_, _) => { Interlocked.Increment(ref writes); return Task.FromResult(WireJson.Parse("\"written\"")); });
        h.Tools.Register("test::read", (_, _) => { Interlocked.Increment(ref reads); return Task.FromResult(WireJson.Parse("\"read\"")); });
        return (() => writes, () => reads);
    }

    [Fact]
    public async Task Parked_call_survives_a_full_restart_and_resolve_resumes_it_in_assistant_order()
    {
        var first = await HarnessCluster.StartAsync();
        var (writes, reads) = CountingTools(first);
        var model = TwoCalls(first.Workspace, "approve");
        var sid = Runs.NewSession();
        var before = await first.RecordAsync(sid);

        await first.Turn(sid).Start(Runs.Start(sid, model));
        var parked = await first.WaitForStateAsync(sid, v => v.State == TurnStates.FunctionAwaitingApproval);
        await before.WaitForAsync(e => e.Type == AgentEventTypes.TurnStateChanged && e.NewValue?.State == TurnStates.FunctionAwaitingApproval);
        // Events are delivered at least once: the restarted cluster may hand a new subscriber the last ones published
        // before the restart again. What the resumed turn publishes comes after them.
        var lastBeforeRestart = before.Frames.Max(f => f.Seq);
        await before.DisposeAsync();

        var pending = Assert.Single(parked.AwaitingApproval!);
        Assert.Equal("a", pending.FunctionCallId);
        Assert.Equal("ask::write", pending.FunctionId);
        Assert.Equal("/x", pending.Args.GetProperty("path").GetString());
        Assert.Equal(1, reads());
        Assert.Equal(0, writes());

        await first.StopAsync();
        await using var second = await HarnessCluster.StartAsync(serviceId: first.ServiceId, workspace: first.Workspace, tools: first.Tools);
        await using var events = await second.RecordAsync(sid);
        var reloaded = await second.Turn(sid).GetState();
        Assert.Equal(TurnStates.FunctionAwaitingApproval, reloaded!.State);
        Assert.Equal("a", Assert.Single(reloaded.AwaitingApproval!).FunctionCallId);

        var resolved = await second.Turn(sid).ResolveApproval(new ApprovalResolveRequest { SessionId = sid, FunctionCallId = "a", Decision = "allow" });

        Assert.True(resolved.Ok);
        Assert.Equal(TurnStates.Stopped, (await second.WaitForTerminalAsync(sid)).State);
        Assert.Equal(1, writes());
        Assert.Equal(1, reads());
        var turnEnd = await events.WaitForAsync(e => e.Type == AgentEventTypes.TurnEnd && e.FunctionResults is { Count: 2 });
        Assert.Equal(["a", "b"], turnEnd.FunctionResults!.Select(r => r.FunctionCallId));
        Assert.DoesNotContain(events.Frames, f => f.Seq > lastBeforeRestart && f.Event.Type == AgentEventTypes.FunctionExecutionStart && f.Event.FunctionCallId == "a");
        var transcript = await second.Grains.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal([Roles.User, Roles.Assistant, Roles.FunctionResult, Roles.FunctionResult, Roles.Assistant], transcript.Messages.Select(m => m.Role));
        Assert.Equal(["a", "b"], transcript.Messages.Where(m => m.Role == Roles.FunctionResult).Select(m => m.FunctionCallId));
    }

    [Fact]
    public async Task Denied_call_gets_a_user_denial_result_and_is_never_invoked()
    {
        await using var h = await HarnessCluster.StartAsync();
        var (writes, _) = CountingTools(h);
        var model = TwoCalls(h.Workspace, "deny");
        var sid = Runs.NewSession();
        await using var events = await h.RecordAsync(sid);
        await h.Turn(sid).Start(Runs.Start(sid, model));
        await h.WaitForStateAsync(sid, v => v.State == TurnStates.FunctionAwaitingApproval);

        await h.Turn(sid).ResolveApproval(new ApprovalResolveRequest { SessionId = sid, FunctionCallId = "a", Decision = "deny" });

        await h.WaitForTerminalAsync(sid);
        Assert.Equal(0, writes());
        var end = await events.WaitForAsync(e => e.Type == AgentEventTypes.FunctionExecutionEnd && e.FunctionCallId == "a");
        Assert.True(end.IsError);
        Assert.Equal("Permission denied by user: denied", end.Result!.Content[0].Text);
    }

    [Fact]
    public async Task Resolve_with_bad_input_names_the_field_and_keeps_the_turn_parked()
    {
        await using var h = await HarnessCluster.StartAsync();
        CountingTools(h);
        var model = TwoCalls(h.Workspace, "bad");
        var sid = Runs.NewSession();
        await h.Turn(sid).Start(Runs.Start(sid, model));
        var parked = await h.WaitForStateAsync(sid, v => v.State == TurnStates.FunctionAwaitingApproval);

        var badDecision = await h.Turn(sid).ResolveApproval(new ApprovalResolveRequest { SessionId = sid, FunctionCallId = "a", Decision = "maybe" });
        var noCall = await h.Turn(sid).ResolveApproval(new ApprovalResolveRequest { SessionId = sid, Decision = "allow" });
        var slash = await h.Turn(sid).ResolveApproval(new ApprovalResolveRequest { SessionId = sid, FunctionCallId = "a/b", Decision = "allow" });

        Assert.Equal(("invalid_payload", "decision"), (badDecision.Error, badDecision.Field));
        Assert.Equal(("invalid_payload", "function_call_id"), (noCall.Error, noCall.Field));
        Assert.Equal(("invalid_payload", "function_call_id"), (slash.Error, slash.Field));
        await Task.Delay(300);
        Assert.True(parked.SameAs(await h.Turn(sid).GetState()));
    }

    [Fact]
    public async Task Abort_of_a_parked_turn_stops_it_cleanly()
    {
        await using var h = await HarnessCluster.StartAsync();
        CountingTools(h);
        var model = TwoCalls(h.Workspace, "abort");
        var sid = Runs.NewSession();
        await h.Turn(sid).Start(Runs.Start(sid, model));
        await h.WaitForStateAsync(sid, v => v.State == TurnStates.FunctionAwaitingApproval);

        var aborted = await h.Turn(sid).Abort();

        Assert.True(aborted.Aborted);
        var final = await h.Turn(sid).GetState();
        Assert.Equal(TurnStates.Stopped, final!.State);
        Assert.Null(final.AwaitingApproval);
    }

    [Fact]
    public async Task Approve_always_grant_after_parking_releases_the_call_on_the_next_wake()
    {
        await using var h = await HarnessCluster.StartAsync();
        var (writes, _) = CountingTools(h);
        var model = TwoCalls(h.Workspace, "grant");
        var sid = Runs.NewSession();
        await h.Turn(sid).Start(Runs.Start(sid, model));
        await h.WaitForStateAsync(sid, v => v.State == TurnStates.FunctionAwaitingApproval);

        await h.Grains.GetGrain<IApprovalSettingsGrain>(sid).ApproveAlways("ask::write");
        var step = await h.Turn(sid).Step(TurnStates.FunctionAwaitingApproval);

        Assert.Equal(TurnStates.SteeringCheck, step.ToState);
        await h.WaitForTerminalAsync(sid);
        Assert.Equal(1, writes());
    }

    [Fact]
    public async Task Malformed_policy_file_fails_closed_with_gate_unavailable()
    {
        await using var h = await HarnessCluster.StartAsync(permissions: "rules:\n  - function: \"test::*\"\n    action: maybe\n");
        var (_, reads) = CountingTools(h);
        var model = h.Workspace.WriteScript("closed", Rounds(Call("b", "test::read"), Text("ok")));
        var sid = Runs.NewSession();
        await using var events = await h.RecordAsync(sid);

        await h.Turn(sid).Start(Runs.Start(sid, model));

        await h.WaitForTerminalAsync(sid);
        Assert.Equal(0, reads());
        var end = await events.WaitForAsync(e => e.Type == AgentEventTypes.FunctionExecutionEnd);
        Assert.True(end.IsError);
        var details = end.Result!.Details!.Value;
        Assert.Equal("gate_unavailable", details.GetProperty("denied_by").GetString());
        Assert.StartsWith("policy unreachable:", details.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Resolve_answers_while_a_sibling_tool_is_still_running_and_the_decision_is_applied_after_it()
    {
        await using var h = await HarnessCluster.StartAsync();
        var (writes, _) = CountingTools(h);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Tools.Register("test::slow", async (_, ct) => { entered.TrySetResult(); await release.Task.WaitAsync(ct); return WireJson.Parse("\"slow\""); });
        var model = h.Workspace.WriteScript("sibling", Rounds($"{Call("a", "ask::write")},{Call("s", "test::slow")}", Text("ok")));
        var sid = Runs.NewSession();
        await h.Turn(sid).Start(Runs.Start(sid, model));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var resolved = await h.Turn(sid).ResolveApproval(new ApprovalResolveRequest { SessionId = sid, FunctionCallId = "a", Decision = "allow" })
            .WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(resolved.Ok);
        Assert.Equal(0, writes());
        release.SetResult();
        Assert.Equal(TurnStates.Stopped, (await h.WaitForTerminalAsync(sid)).State);
        Assert.Equal(1, writes());
    }
}
