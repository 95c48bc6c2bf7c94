using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using static Harness.Tests.Bridge.TestClients;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>Shared cluster for <see cref="HarnessFunctionsTests"/>: one bridge silo, a stand-in engine and a peer worker.</summary>
public sealed class HarnessFunctionsFixture : IAsyncLifetime
{
    public const string Permissions = """
        rules:
          - "!test::forbidden"
          - "test::*"
          - "peer::*"
        """;

    public BridgeCluster H { get; private set; } = null!;

    /// <summary>Another iii worker on the bus serving tools the model calls.</summary>
    public IiiWorkerClient Peer { get; private set; } = null!;

    public List<JsonObject> ToolCalls { get; } = [];

    public async ValueTask InitializeAsync()
    {
        H = await BridgeCluster.StartAsync(permissions: Permissions);
        Peer = await StartAsync(H.Engine, BridgeFunctionCatalog.Of(
            Function("peer::lookup", i =>
            {
                lock (ToolCalls)
                {
                    ToolCalls.Add(JsonNode.Parse(i.Data.GetRawText())!.AsObject());
                }
                return new { answer = 42 };
            }),
            Function("ask::tool", _ => new { approved = "ran" })), "peer");
    }

    public async ValueTask DisposeAsync()
    {
        await Peer.StopAsync();
        await H.DisposeAsync();
    }
}

/// <summary>
/// The harness functions as an iii client sees them: called through the engine (the stand-in invokes them the way the
/// engine routes any caller's invoke), answered by grains, with the spec's payloads, results and error codes.
/// </summary>
public sealed class HarnessFunctionsTests(HarnessFunctionsFixture fixture) : IClassFixture<HarnessFunctionsFixture>
{
    private BridgeCluster H => fixture.H;

    private Task<JsonNode?> Invoke(string functionId, string payload) => H.Engine.InvokeAsync(functionId, JsonNode.Parse(payload), TimeSpan.FromSeconds(15));

    private async Task<StandInInvocationException> Fails(string functionId, string payload) =>
        await Assert.ThrowsAsync<StandInInvocationException>(() => Invoke(functionId, payload));

    private static string Start(string sid, string model) =>
        $$"""{"session_id":"{{sid}}","message_id":"m1","provider":"scripted","model":"{{model}}","messages":[{"role":"user","content":[{"type":"text","text":"hi"}],"timestamp":1}]}""";

    public static readonly string[] PublishedIds =
    [
        "run::start", "run::abort", "turn::get_state",
        "turn::provisioning", "turn::assistant_streaming", "turn::function_execute", "turn::function_awaiting_approval", "turn::steering_check",
        "approval::resolve", "approval::get_settings", "approval::set_mode", "approval::add_always_allow", "approval::remove_always_allow",
        "approval::approve_always", "approval::clear_settings", "policy::check_permissions",
        "session-tree::ensure", "session-tree::append_batch", "session-tree::messages", "session-tree::entries", "session-tree::fork",
        "session-inbox::push", "session-inbox::drain", "session-inbox::peek", "harness::trigger",
    ];

    [Fact]
    public void Every_harness_function_is_published_with_a_description_and_json_schemas()
    {
        foreach (var id in PublishedIds)
        {
            var registration = H.Engine.FunctionRegistration(id);
            Assert.True(registration is not null, $"{id} is not registered");
            Assert.False(string.IsNullOrWhiteSpace(registration["description"]?.GetValue<string>()), $"{id} has no description");
            Assert.IsType<JsonObject>(registration["request_format"]);
            Assert.IsType<JsonObject>(registration["response_format"]);
        }
        var runStart = H.Engine.FunctionRegistration("run::start")!["request_format"]!;
        Assert.Superset(new HashSet<string> { "session_id", "message_id", "provider", "model", "mode", "messages", "max_turns", "system_prompt" },
            runStart["properties"]!.AsObject().Select(p => p.Key).ToHashSet());
        Assert.Equal(["session_id", "provider", "model"], runStart["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("string", runStart["properties"]!["session_id"]!["type"]!.GetValue<string>());
        var resolve = H.Engine.FunctionRegistration("approval::resolve")!["request_format"]!;
        Assert.Equal(["allow", "deny", "aborted"], resolve["properties"]!["decision"]!["enum"]!.AsArray().Select(r => r!.GetValue<string>()));
        var trigger = H.Engine.FunctionRegistration("harness::trigger")!["request_format"]!;
        Assert.Equal(["payload"], trigger["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(runStart, trigger["properties"]!["payload"]));
    }

    [Fact]
    public void Published_schemas_are_self_contained()
    {
        foreach (var id in PublishedIds)
        {
            var registration = H.Engine.FunctionRegistration(id)!;
            Assert.DoesNotContain("\"$ref\"", registration["request_format"]!.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain("\"$ref\"", registration["response_format"]!.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_function_catalog_lists_each_function_under_the_worker_name_that_owns_it()
    {
        var list = await H.Engine.InvokeAsync("engine::functions::list", new JsonObject());
        var listed = list!["functions"]!.AsArray().ToDictionary(f => f!["function_id"]!.GetValue<string>(), f => f!["worker_name"]!.GetValue<string>());
        Assert.All(PublishedIds, id => Assert.Equal(H.Bridge.WorkerNameOf(id), listed[id]));
        Assert.Equal(BridgeCluster.WorkerName, listed["harness::trigger"]);
        Assert.Equal("turn-orchestrator", listed["run::start"]);
    }

    [Fact]
    public async Task A_run_starts_reports_busy_while_in_flight_shows_its_state_and_aborts()
    {
        var model = H.Workspace.WriteScript("bridge-hang", Rounds(Hang));
        var sid = Runs.NewSession();

        var started = await Invoke("run::start", Start(sid, model));
        Assert.Equal(sid, started!["session_id"]!.GetValue<string>());
        Assert.True(started["started"]!.GetValue<bool>());

        var busy = await Invoke("run::start", Start(sid, model));
        Assert.False(busy!["started"]!.GetValue<bool>());
        Assert.Equal("session_busy", busy["reason"]!.GetValue<string>());

        var viaTrigger = await Invoke("harness::trigger", $$"""{"session_id":"{{sid}}","message_id":"m2","payload":{{Start(sid, model)}}}""");
        Assert.Equal(409, viaTrigger!["status_code"]!.GetValue<int>());
        Assert.Equal("application/json", viaTrigger["headers"]!["content-type"]!.GetValue<string>());
        Assert.False(viaTrigger["body"]!["started"]!.GetValue<bool>());

        var state = await Invoke("turn::get_state", $$"""{"session_id":"{{sid}}"}""");
        Assert.Contains(state!["state"]!.GetValue<string>(), (string[])[TurnStates.Provisioning, TurnStates.AssistantStreaming]);

        var aborted = await Invoke("run::abort", $$"""{"session_id":"{{sid}}"}""");
        Assert.True(aborted!["aborted"]!.GetValue<bool>());
        Assert.Equal(TurnStates.Stopped, (await H.WaitForTerminalAsync(sid)).State);
        var after = await Invoke("turn::get_state", $$"""{"session_id":"{{sid}}"}""");
        Assert.Equal(TurnStates.Stopped, after!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Harness_trigger_starts_a_run_with_status_200()
    {
        var model = H.Workspace.WriteScript("bridge-hello", Rounds($"{Text("hello")},{Stop("end")}"));
        var sid = Runs.NewSession();
        var reply = await Invoke("harness::trigger", $$"""{"session_id":"{{sid}}","message_id":"m1","payload":{{Start(sid, model)}}}""");
        Assert.Equal(200, reply!["status_code"]!.GetValue<int>());
        Assert.True(reply["body"]!["started"]!.GetValue<bool>());
        Assert.Equal(TurnStates.Stopped, (await H.WaitForTerminalAsync(sid)).State);
    }

    [Fact]
    public async Task The_state_of_an_unknown_session_is_null()
    {
        var state = await Invoke("turn::get_state", """{"session_id":"never-seen"}""");
        Assert.Null(state);
    }

    [Theory]
    [InlineData("""{"payload":{"session_id":"s1","provider":"scripted","model":"m"}}""", "payload")]
    [InlineData("""{"data":{"session_id":"s1","provider":"scripted","model":"m"}}""", "data")]
    [InlineData("""{"session_id":5,"provider":"scripted","model":"m"}""", "session_id")]
    [InlineData("""{"session_id":"s1","provider":"scripted"}""", "model")]
    [InlineData("""{"session_id":"a/b","provider":"scripted","model":"m"}""", "session_id")]
    [InlineData("""{"session_id":"s1","provider":"scripted","model":"m","max_turns":"3"}""", "max_turns")]
    [InlineData("""{"session_id":"s1","provider":"scripted","model":"m","messages":[{"role":"robot"}]}""", "messages[0].role")]
    public async Task Bad_run_start_payloads_are_invalid_payload_naming_the_field(string payload, string field)
    {
        var error = await Fails("run::start", payload);
        Assert.Equal("invalid_payload", error.Code);
        Assert.StartsWith($"{field}: ", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_payload_inside_harness_trigger_names_the_nested_field()
    {
        var missing = await Fails("harness::trigger", """{"session_id":"s1"}""");
        Assert.StartsWith("payload: ", missing.Detail, StringComparison.Ordinal);
        var nested = await Fails("harness::trigger", """{"payload":{"session_id":"s1","provider":"scripted"}}""");
        Assert.Equal("invalid_payload", nested.Code);
        Assert.StartsWith("payload.model: ", nested.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"session_id":"s1","function_call_id":"c1","decision":"maybe"}""", "decision")]
    [InlineData("""{"function_call_id":"c1","decision":"allow"}""", "session_id")]
    [InlineData("""{"session_id":"s1","function_call_id":"a/b","decision":"allow"}""", "function_call_id")]
    [InlineData("""{"session_id":"s1","function_call_id":7,"decision":"allow"}""", "function_call_id")]
    [InlineData("""[]""", "$")]
    public async Task Approval_resolve_answers_bad_input_with_ok_false_instead_of_failing(string payload, string field)
    {
        var reply = await Invoke("approval::resolve", payload);
        Assert.False(reply!["ok"]!.GetValue<bool>());
        Assert.Equal("invalid_payload", reply["error"]!.GetValue<string>());
        Assert.Equal(field, reply["field"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(reply["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_parked_call_is_shown_by_get_state_and_released_by_approval_resolve_then_runs_on_the_bus()
    {
        var model = H.Workspace.WriteScript("bridge-ask", Rounds(
            $"{Call("c-ask", "ask::tool", """{"q":1}""")},{Stop("function_call")}",
            $"{Text("approved and done")},{Stop("end")}"));
        var sid = Runs.NewSession();
        await Invoke("run::start", Start(sid, model));

        JsonNode? parked = null;
        await EngineStandIn.WaitUntilAsync(async () =>
        {
            parked = await Invoke("turn::get_state", $$"""{"session_id":"{{sid}}"}""");
            return parked?["state"]?.GetValue<string>() == TurnStates.FunctionAwaitingApproval;
        }, Patience, "the call to park");
        var awaiting = Assert.Single(parked!["awaiting_approval"]!.AsArray());
        Assert.Equal(("c-ask", "ask::tool"), (awaiting!["function_call_id"]!.GetValue<string>(), awaiting["function_id"]!.GetValue<string>()));

        var resolved = await Invoke("approval::resolve", $$"""{"session_id":"{{sid}}","function_call_id":"c-ask","decision":"allow"}""");
        Assert.True(resolved!["ok"]!.GetValue<bool>());
        Assert.Equal(TurnStates.Stopped, (await H.WaitForTerminalAsync(sid)).State);
        var tree = await Invoke("session-tree::messages", $$"""{"session_id":"{{sid}}"}""");
        var result = tree!["messages"]!.AsArray().Select(m => m!["message"]).Single(m => m!["role"]!.GetValue<string>() == "function_result");
        Assert.Contains("ran", result!["content"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_on_another_worker_is_called_through_agent_trigger_with_the_routing_envelope()
    {
        var model = H.Workspace.WriteScript("bridge-tool", Rounds(
            $"{Call("c-peer", "peer::lookup", """{"key":"k1"}""")},{Stop("function_call")}",
            $"{Text("the answer is 42")},{Stop("end")}"));
        var sid = Runs.NewSession();
        await Invoke("run::start", Start(sid, model));
        Assert.Equal(TurnStates.Stopped, (await H.WaitForTerminalAsync(sid)).State);

        JsonObject call;
        lock (fixture.ToolCalls)
        {
            call = fixture.ToolCalls.Single(c => c["session_id"]?.GetValue<string>() == sid);
        }
        Assert.Equal("k1", call["key"]!.GetValue<string>());
        Assert.Equal("c-peer", call["function_call_id"]!.GetValue<string>());
        Assert.Equal("peer::lookup", call["function_id"]!.GetValue<string>());
        Assert.Equal(H.Bridge.WorkerId, call["_caller_worker_id"]!.GetValue<string>());
        var tree = await Invoke("session-tree::messages", $$"""{"session_id":"{{sid}}"}""");
        var result = tree!["messages"]!.AsArray().Select(m => m!["message"]).Single(m => m!["role"]!.GetValue<string>() == "function_result");
        Assert.Equal(42, result!["details"]!["answer"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_tool_nobody_serves_becomes_a_function_not_found_result()
    {
        var model = H.Workspace.WriteScript("bridge-missing", Rounds(
            $"{Call("c-x", "test::nobody_serves_this")},{Stop("function_call")}",
            $"{Text("oh well")},{Stop("end")}"));
        var sid = Runs.NewSession();
        await Invoke("run::start", Start(sid, model));
        Assert.Equal(TurnStates.Stopped, (await H.WaitForTerminalAsync(sid)).State);
        var tree = await Invoke("session-tree::messages", $$"""{"session_id":"{{sid}}"}""");
        var result = tree!["messages"]!.AsArray().Select(m => m!["message"]).Single(m => m!["role"]!.GetValue<string>() == "function_result");
        Assert.True(result!["is_error"]!.GetValue<bool>());
        Assert.Equal("function_not_found", result["details"]!["error"]!.GetValue<string>());
        Assert.Equal("test::nobody_serves_this", result["details"]!["function"]!.GetValue<string>());
    }

    [Fact]
    public async Task Agent_events_of_a_turn_reach_the_engines_stream_in_order()
    {
        var model = H.Workspace.WriteScript("bridge-events", Rounds($"{Text("streamed words here")},{Stop("end")}"));
        var sid = Runs.NewSession();
        await Invoke("run::start", Start(sid, model));
        Assert.Equal(TurnStates.Stopped, (await H.WaitForTerminalAsync(sid)).State);
        await EngineStandIn.WaitUntilAsync(
            () => H.Engine.StreamItems("agent::events", sid).Any(e => e?["type"]?.GetValue<string>() == "turn_state_changed" && e["new_value"]?["state"]?.GetValue<string>() == "stopped"),
            Patience, "the final event in the engine stream");
        var types = H.Engine.StreamItems("agent::events", sid).Select(e => e!["type"]!.GetValue<string>()).Where(t => t != "message_update").ToList();
        Assert.Equal(["turn_state_changed", "turn_state_changed", "message_complete", "turn_state_changed", "turn_end", "agent_end", "turn_state_changed"], types);
        Assert.Single(H.Engine.StreamItems("agent::turn_end", sid));
        var itemIds = H.Engine.Frames.Where(f => f.FunctionId == "stream::set" && f.Frame["data"]!["group_id"]!.GetValue<string>() == sid && f.Frame["data"]!["stream_name"]!.GetValue<string>() == "agent::events")
            .Select(f => f.Frame["data"]!["item_id"]!.GetValue<string>()).ToList();
        Assert.Equal(itemIds.Order(StringComparer.Ordinal), itemIds);
    }

    [Fact]
    public async Task Approval_settings_functions_read_and_change_the_mode_and_report_bad_input_in_the_result()
    {
        var sid = Runs.NewSession();
        var defaults = await Invoke("approval::get_settings", $$"""{"session_id":"{{sid}}"}""");
        Assert.Equal("manual", defaults!["mode"]!.GetValue<string>());

        var auto = await Invoke("approval::set_mode", $$"""{"session_id":"{{sid}}","mode":"auto"}""");
        Assert.Equal("auto", auto!["mode"]!.GetValue<string>());
        var granted = await Invoke("approval::add_always_allow", $$"""{"session_id":"{{sid}}","function_id":"x::y"}""");
        Assert.Equal("x::y", granted!["always_allow"]![0]!["function_id"]!.GetValue<string>());

        var bad = await Invoke("approval::set_mode", $$"""{"session_id":"{{sid}}","mode":"yolo"}""");
        Assert.False(bad!["ok"]!.GetValue<bool>());
        Assert.Equal(("invalid_payload", "mode"), (bad["error"]!.GetValue<string>(), bad["field"]!.GetValue<string>()));

        var cleared = await Invoke("approval::clear_settings", $$"""{"session_id":"{{sid}}"}""");
        Assert.True(cleared!["ok"]!.GetValue<bool>());
        Assert.Equal("manual", (await Invoke("approval::get_settings", $$"""{"session_id":"{{sid}}"}"""))!["mode"]!.GetValue<string>());

        var error = await Fails("approval::get_settings", "{}");
        Assert.Equal("invalid_payload", error.Code);
    }

    [Fact]
    public async Task The_permission_policy_answers_allow_deny_and_needs_approval()
    {
        var allow = await Invoke("policy::check_permissions", """{"function_id":"test::thing","args":{"a":1}}""");
        Assert.Equal(("allow", "test::*"), (allow!["decision"]!.GetValue<string>(), allow["rule_id"]!.GetValue<string>()));
        var deny = await Invoke("policy::check_permissions", """{"function_id":"test::forbidden"}""");
        Assert.Equal("deny", deny!["decision"]!.GetValue<string>());
        var ask = await Invoke("policy::check_permissions", """{"function_id":"shell::exec"}""");
        Assert.Equal("needs_approval", ask!["decision"]!.GetValue<string>());
        Assert.Equal("invalid_payload", (await Fails("policy::check_permissions", """{"args":{}}""")).Code);
    }

    [Fact]
    public async Task Session_tree_and_inbox_functions_round_trip()
    {
        var sid = Runs.NewSession();
        var ensured = await Invoke("session-tree::ensure", $$"""{"session_id":"{{sid}}"}""");
        Assert.True(ensured!["created"]!.GetValue<bool>());
        Assert.False((await Invoke("session-tree::ensure", $$"""{"session_id":"{{sid}}"}"""))!["created"]!.GetValue<bool>());

        var appended = await Invoke("session-tree::append_batch", $$"""
            {"session_id":"{{sid}}","entry_ids":["e1","e2"],"messages":[
              {"role":"user","content":[{"type":"text","text":"one"}],"timestamp":1},
              {"role":"user","content":[{"type":"text","text":"two"}],"timestamp":2}]}
            """);
        Assert.Equal(2, appended!["appended"]!.GetValue<int>());
        var window = await Invoke("session-tree::messages", $$"""{"session_id":"{{sid}}"}""");
        Assert.Equal(2, window!["messages"]!.AsArray().Count);

        Assert.Equal(["e1", "e2"], window!["messages"]!.AsArray().Select(m => m!["entry_id"]!.GetValue<string>()));
        var forked = await Invoke("session-tree::fork", $$"""{"source_session_id":"{{sid}}","from_entry_id":"e1"}""");
        var fork = forked!["session_id"]!.GetValue<string>();
        Assert.Equal(["one"], (await Invoke("session-tree::messages", $$"""{"session_id":"{{fork}}"}"""))!["messages"]!.AsArray().Select(m => m!["message"]!["content"]![0]!["text"]!.GetValue<string>()));
        var entries = await Invoke("session-tree::entries", $$"""{"session_id":"{{sid}}"}""");
        Assert.Equal(2, entries!["entries"]!.AsArray().Count);

        var pushed = await Invoke("session-inbox::push", $$$"""{"session_id":"{{{sid}}}","name":"followup","message":{"role":"user","content":[{"type":"text","text":"later"}],"timestamp":3}}""");
        Assert.Equal(1, pushed!["depth"]!.GetValue<int>());
        var drained = await Invoke("session-inbox::drain", $$"""{"session_id":"{{sid}}","name":"followup"}""");
        Assert.Equal("later", drained!["items"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Empty((await Invoke("session-inbox::drain", $$"""{"session_id":"{{sid}}","name":"followup"}"""))!["items"]!.AsArray());

        Assert.StartsWith("name: ", (await Fails("session-inbox::drain", $$"""{"session_id":"{{sid}}","name":"elsewhere"}""")).Detail, StringComparison.Ordinal);
        Assert.StartsWith("from_entry_id: ", (await Fails("session-tree::fork", $$"""{"source_session_id":"{{sid}}"}""")).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_function_for_a_state_the_turn_has_left_is_stale()
    {
        var model = H.Workspace.WriteScript("bridge-stale", Rounds($"{Text("quick")},{Stop("end")}"));
        var sid = Runs.NewSession();
        await Invoke("run::start", Start(sid, model));
        Assert.Equal(TurnStates.Stopped, (await H.WaitForTerminalAsync(sid)).State);

        var reply = await Invoke("turn::function_execute", $$"""{"session_id":"{{sid}}"}""");
        Assert.True(reply!["ok"]!.GetValue<bool>());
        Assert.True(reply["skipped"]!.GetValue<bool>());
        Assert.Equal("stale", reply["reason"]!.GetValue<string>());
    }
}
