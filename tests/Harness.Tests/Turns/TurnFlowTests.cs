using Harness.Events;
using Harness.Messages;
using Harness.Sessions;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Harness.Validation;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Turns;

/// <summary>End-to-end turns on a PostgreSQL-backed cluster with the scripted provider.</summary>
public sealed class TurnFlowTests : IAsyncLifetime
{
    private HarnessCluster _h = null!;

    public async ValueTask InitializeAsync() => _h = await HarnessCluster.StartAsync();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Text_answer_runs_the_spec_event_sequence_and_stops()
    {
        var model = _h.Workspace.WriteScript("text", Rounds($"{Text("Hello there friend")},{Usage(10, 3)},{Stop("end")}"));
        var sid = Runs.NewSession();
        await using var events = await _h.RecordAsync(sid);

        var started = await _h.Turn(sid).Start(Runs.Start(sid, model));

        Assert.True(started.Started);
        var final = await _h.WaitForTerminalAsync(sid);
        Assert.Equal(TurnStates.Stopped, final.State);
        await events.WaitForAsync(e => e.Type == AgentEventTypes.TurnStateChanged && e.NewValue?.State == TurnStates.Stopped);
        var sequence = events.Events.Select(EventRecorder.Describe).Where(d => d != AgentEventTypes.MessageUpdate).ToList();
        Assert.Equal(
            ["turn_state_changed:provisioning", "turn_state_changed:assistant_streaming", "message_complete",
             "turn_state_changed:steering_check", "turn_end", "agent_end", "turn_state_changed:stopped"],
            sequence);
        var streamed = string.Concat(events.Events.Where(e => e.Type == AgentEventTypes.MessageUpdate && e.LlmEvent?.Type == StreamEventTypes.TextDelta).Select(e => e.LlmEvent!.Delta));
        Assert.Equal("Hello there friend", streamed);
        Assert.True(events.Events.Single(e => e.Type == AgentEventTypes.MessageComplete).BodyStreamed);
        var frames = events.Frames.Select(f => f.Seq).ToList();
        Assert.Equal(frames.Order().ToList(), frames);
        var transcript = await _h.Grains.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal([Roles.User, Roles.Assistant], transcript.Messages.Select(m => m.Role));
    }

    [Fact]
    public async Task Allowed_tool_call_is_invoked_once_with_the_routing_envelope_then_the_model_answers()
    {
        var calls = new List<JsonElement>();
        _h.Tools.Register("test::echo", (payload, _) => { lock (calls) { calls.Add(payload); } return Task.FromResult(WireJson.Parse("""{"echo":"pong"}""")); });
        var model = _h.Workspace.WriteScript("tool", Rounds(
            $"{Call("c1", "test::echo", """{"text":"ping"}""")},{Stop("function_call")}",
            $"{Text("done")},{Stop("end")}"));
        var sid = Runs.NewSession();
        await using var events = await _h.RecordAsync(sid);

        await _h.Turn(sid).Start(Runs.Start(sid, model));

        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        var payload = Assert.Single(calls);
        Assert.Equal("ping", payload.GetProperty("text").GetString());
        Assert.Equal(sid, payload.GetProperty("session_id").GetString());
        Assert.Equal("c1", payload.GetProperty("function_call_id").GetString());
        Assert.Equal("test::echo", payload.GetProperty("function_id").GetString());
        var end = await events.WaitForAsync(e => e.Type == AgentEventTypes.FunctionExecutionEnd);
        Assert.False(end.IsError);
        Assert.Equal("pong", end.Result!.Details!.Value.GetProperty("echo").GetString());
        var transcript = await _h.Grains.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal([Roles.User, Roles.Assistant, Roles.FunctionResult, Roles.Assistant], transcript.Messages.Select(m => m.Role));
        Assert.Equal("done", transcript.Messages[^1].Text);
    }

    [Fact]
    public async Task A_repeated_start_of_the_same_message_is_not_run_again_while_a_new_message_starts_a_run()
    {
        var calls = 0;
        _h.Tools.Register("test::count", (_, _) => { Interlocked.Increment(ref calls); return Task.FromResult(WireJson.Parse("1")); });
        var model = _h.Workspace.WriteScript("repeat", Rounds(
            $"{Call("c1", "test::count")},{Stop("function_call")}",
            $"{Text("done")},{Stop("end")}",
            $"{Text("second message answered")},{Stop("end")}"));
        var sid = Runs.NewSession();
        var turn = _h.Turn(sid);

        Assert.True((await turn.Start(Runs.Start(sid, model, messageId: "m-1"))).Started);
        var whileRunning = await turn.Start(Runs.Start(sid, model, messageId: "m-1"));
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        // The answer of the first start was lost, say: the client sends it again after the run ended.
        var afterEnd = await turn.Start(Runs.Start(sid, model, messageId: "m-1"));

        Assert.Equal((false, RunStartResult.SessionBusy), (whileRunning.Started, whileRunning.Reason));
        Assert.Equal((false, RunStartResult.AlreadyStarted), (afterEnd.Started, afterEnd.Reason));
        Assert.Equal(1, calls);
        var transcript = await _h.Grains.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Single(transcript.Messages, m => m.Role == Roles.User);
        Assert.True((await turn.Start(Runs.Start(sid, model, text: "next", messageId: "m-2"))).Started);
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        Assert.Equal(2, (await _h.Grains.GetGrain<ISessionGrain>(sid).Messages()).Messages.Count(m => m.Role == Roles.User));
    }

    [Fact]
    public async Task Unknown_function_and_non_agent_trigger_calls_become_error_results()
    {
        var model = _h.Workspace.WriteScript("missing", Rounds(
            $$"""{{Call("c1", "test::nope")}},{"type":"function_call","id":"c2","tool":"bash","function":"x"},{{Stop("function_call")}}""",
            $"{Text("ok")},{Stop("end")}"));
        var sid = Runs.NewSession();
        await using var events = await _h.RecordAsync(sid);

        await _h.Turn(sid).Start(Runs.Start(sid, model));
        await _h.WaitForTerminalAsync(sid);
        await events.WaitForAsync(e => e.Type == AgentEventTypes.AgentEnd);

        var ends = events.Events.Where(e => e.Type == AgentEventTypes.FunctionExecutionEnd).ToList();
        Assert.Equal(["c1", "c2"], ends.Select(e => e.FunctionCallId));
        Assert.All(ends, e => Assert.True(e.IsError));
        Assert.Equal("function_not_found", ends[0].Result!.Details!.Value.GetProperty("error").GetString());
        Assert.Equal("missing_function", ends[1].Result!.Details!.Value.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Policy_deny_returns_a_permissions_denial_without_invoking_the_tool()
    {
        var invoked = 0;
        _h.Tools.Register("test::forbidden", (_, _) => { Interlocked.Increment(ref invoked); return Task.FromResult(WireJson.Empty); });
        var model = _h.Workspace.WriteScript("deny", Rounds($"{Call("c1", "test::forbidden")}", $"{Text("ok")}"));
        var sid = Runs.NewSession();
        await using var events = await _h.RecordAsync(sid);

        await _h.Turn(sid).Start(Runs.Start(sid, model));
        await _h.WaitForTerminalAsync(sid);

        Assert.Equal(0, invoked);
        var end = await events.WaitForAsync(e => e.Type == AgentEventTypes.FunctionExecutionEnd);
        Assert.Equal("permissions", end.Result!.Details!.Value.GetProperty("denied_by").GetString());
    }

    [Fact]
    public async Task Provider_error_stops_the_turn_without_appending_the_failed_assistant()
    {
        var model = _h.Workspace.WriteScript("err", Rounds(Error("upstream 401", "auth_expired")));
        var sid = Runs.NewSession();
        await using var events = await _h.RecordAsync(sid);

        await _h.Turn(sid).Start(Runs.Start(sid, model));

        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        var complete = await events.WaitForAsync(e => e.Type == AgentEventTypes.MessageComplete);
        Assert.Equal(StopReasons.Error, complete.Message!.StopReason);
        Assert.Equal("auth_expired", complete.Message.ErrorKind);
        await events.WaitForAsync(e => e.Type == AgentEventTypes.AgentEnd);
        var transcript = await _h.Grains.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal([Roles.User], transcript.Messages.Select(m => m.Role));
    }

    [Fact]
    public async Task Provider_exception_ends_the_turn_with_a_synthetic_error_assistant()
    {
        var model = _h.Workspace.WriteScript("boom", Rounds(Throw("kaboom", transient: false)));
        var sid = Runs.NewSession();
        await using var events = await _h.RecordAsync(sid);

        await _h.Turn(sid).Start(Runs.Start(sid, model));

        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        var complete = await events.WaitForAsync(e => e.Type == AgentEventTypes.MessageComplete);
        Assert.Equal(StopReasons.Error, complete.Message!.StopReason);
        Assert.Equal("kaboom", complete.Message.ErrorMessage);
    }

    [Fact]
    public async Task Transient_error_is_retried_with_backoff_and_the_turn_completes()
    {
        var model = _h.Workspace.WriteScript("flaky", Rounds($"{Throw("blip", transient: true, times: 2)},{Text("recovered")}"));
        var sid = Runs.NewSession();

        await _h.Turn(sid).Start(Runs.Start(sid, model));

        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        var transcript = await _h.Grains.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal("recovered", transcript.Messages[^1].Text);
    }

    [Fact]
    public async Task Transient_errors_beyond_the_retry_budget_fail_the_turn()
    {
        var model = _h.Workspace.WriteScript("down", Rounds(Throw("still down", transient: true)));
        var sid = Runs.NewSession();

        await _h.Turn(sid).Start(Runs.Start(sid, model));

        var final = await _h.WaitForTerminalAsync(sid);
        Assert.Equal(TurnStates.Failed, final.State);
        Assert.Contains("still down", final.Error!.Message);
    }

    [Fact]
    public async Task Max_turns_stops_a_tool_loop_with_the_synthetic_notice()
    {
        _h.Tools.Register("test::loop", (_, _) => Task.FromResult(WireJson.Parse("1")));
        var model = _h.Workspace.WriteScript("loop", Rounds($"{Call("again", "test::loop")}"));
        var sid = Runs.NewSession();
        await using var events = await _h.RecordAsync(sid);

        await _h.Turn(sid).Start(Runs.Start(sid, model, maxTurns: 2));

        var final = await _h.WaitForTerminalAsync(sid);
        Assert.Equal(TurnStates.Stopped, final.State);
        Assert.Equal(2, final.TurnCount);
        var notice = await events.WaitForAsync(e => e.Type == AgentEventTypes.MessageComplete && e.Message!.Text.StartsWith("loop stopped"));
        Assert.Equal("loop stopped: max_turns (2) reached", notice.Message!.Text);
        Assert.False(notice.BodyStreamed);
    }

    [Fact]
    public async Task Step_for_a_state_the_record_has_left_is_skipped_as_stale()
    {
        var model = _h.Workspace.WriteScript("stale", Rounds(Text("hi")));
        var sid = Runs.NewSession();
        await _h.Turn(sid).Start(Runs.Start(sid, model));
        await _h.WaitForTerminalAsync(sid);

        var result = await _h.Turn(sid).Step(TurnStates.SteeringCheck);

        Assert.True(result.Skipped);
        Assert.Equal("stale", result.Reason);
        Assert.Equal(TurnStates.Stopped, (await _h.Turn(sid).GetState())!.State);
    }

    [Fact]
    public async Task Start_while_a_turn_is_in_flight_replies_session_busy_and_writes_nothing()
    {
        var model = _h.Workspace.WriteScript("hang", Rounds(Hang));
        var sid = Runs.NewSession();
        await _h.Turn(sid).Start(Runs.Start(sid, model, text: "first"));
        await _h.WaitForStateAsync(sid, v => v.State == TurnStates.AssistantStreaming);

        var busy = await _h.Turn(sid).Start(Runs.Start(sid, model, text: "second"));

        Assert.False(busy.Started);
        Assert.Equal("session_busy", busy.Reason);
        var transcript = await _h.Grains.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal(["first"], transcript.Messages.Select(m => m.Text));
        await _h.Turn(sid).Abort();
    }

    [Fact]
    public async Task Abort_cancels_a_streaming_turn_and_stops_it_with_an_aborted_assistant()
    {
        var model = _h.Workspace.WriteScript("hang2", Rounds(Hang));
        var sid = Runs.NewSession();
        await using var events = await _h.RecordAsync(sid);
        await _h.Turn(sid).Start(Runs.Start(sid, model));
        await _h.WaitForStateAsync(sid, v => v.State == TurnStates.AssistantStreaming);

        var aborted = await _h.Turn(sid).Abort();

        Assert.True(aborted.Aborted);
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        var complete = await events.WaitForAsync(e => e.Type == AgentEventTypes.MessageComplete);
        Assert.Equal(StopReasons.Aborted, complete.Message!.StopReason);
        Assert.Equal("run aborted by user", complete.Message.Text);
        var again = await _h.Turn(sid).Abort();
        Assert.False(again.Aborted);
        Assert.Equal(TurnStates.Stopped, again.State);
    }

    [Fact]
    public async Task Start_after_a_terminal_turn_begins_a_fresh_record_and_keeps_the_history()
    {
        var model = _h.Workspace.WriteScript("two", Rounds(Text("one"), Text("two")));
        var sid = Runs.NewSession();
        await _h.Turn(sid).Start(Runs.Start(sid, model, text: "a"));
        await _h.WaitForTerminalAsync(sid);

        var second = await _h.Turn(sid).Start(Runs.Start(sid, model, text: "b"));

        Assert.True(second.Started);
        var final = await _h.WaitForStateAsync(sid, v => v.State == TurnStates.Stopped && v.TurnCount == 1);
        Assert.Null(final.Error);
        var transcript = await _h.Grains.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal(["a", "one", "b", "two"], transcript.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Start_right_after_the_stopped_event_is_accepted_not_refused_as_busy()
    {
        var model = _h.Workspace.WriteScript("quick", Rounds(Text("one"), Text("two")));
        var sid = Runs.NewSession();
        await using var events = await _h.RecordAsync(sid);
        await _h.Turn(sid).Start(Runs.Start(sid, model, text: "a"));
        await events.WaitForAsync(e => e.Type == AgentEventTypes.TurnStateChanged && e.NewValue?.State == TurnStates.Stopped);

        var again = await _h.Turn(sid).Start(Runs.Start(sid, model, text: "b"));

        Assert.True(again.Started);
        await _h.WaitForStateAsync(sid, v => v.State == TurnStates.Stopped && v.TurnCount == 1);
    }

    [Fact]
    public async Task Invalid_run_start_names_the_field_and_leaves_the_stored_turn_unchanged()
    {
        var model = _h.Workspace.WriteScript("keep", Rounds(Text("kept")));
        var sid = Runs.NewSession();
        await _h.Turn(sid).Start(Runs.Start(sid, model));
        var before = await _h.WaitForTerminalAsync(sid);

        var missingSession = await Assert.ThrowsAsync<PayloadValidationException>(() => _h.Turn(sid).Start(Runs.Start(sid, model) with { SessionId = null }));
        var badMode = await Assert.ThrowsAsync<PayloadValidationException>(() => _h.Turn(sid).Start(Runs.Start(sid, model) with { Mode = "yolo" }));
        var noModel = await Assert.ThrowsAsync<PayloadValidationException>(() => _h.Turn(sid).Start(Runs.Start(sid, model) with { Model = "" }));

        Assert.Equal("session_id", missingSession.Field);
        Assert.Equal("mode", badMode.Field);
        Assert.Equal("model", noModel.Field);
        var after = await _h.Turn(sid).GetState();
        Assert.True(before.SameAs(after));
        var transcript = await _h.Grains.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal(2, transcript.Messages.Count);
    }

    [Fact]
    public async Task Get_state_of_an_unknown_session_is_null()
    {
        Assert.Null(await _h.Turn(Runs.NewSession()).GetState());
    }
}
