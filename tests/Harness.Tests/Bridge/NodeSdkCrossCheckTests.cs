using System.Text.Json.Nodes;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>One bridge cluster and stand-in engine shared by the Node cross-checks.</summary>
public sealed class NodeCrossCheckFixture : IAsyncLifetime
{
    public const string Permissions = """
        rules:
          - "node::*"
          - "test::*"
        """;

    public BridgeCluster H { get; private set; } = null!;

    /// <summary>A provider the Node peer serves over an engine channel.</summary>
    public const string NodeProvider = "nodeprov";

    public async ValueTask InitializeAsync() => H = await BridgeCluster.StartAsync(
        permissions: Permissions,
        settings: new Dictionary<string, string?> { ["Harness:Bridge:ExternalProviders:0"] = NodeProvider });

    public async ValueTask DisposeAsync() => await H.DisposeAsync();
}

/// <summary>
/// The official Node client (<c>iii-sdk@0.22.1</c>) against the bridge through the stand-in engine: calling the harness
/// functions, serving a tool a turn calls, subscribing to the turn's events, and surviving a dropped bridge socket.
/// </summary>
public sealed class NodeSdkCrossCheckTests(NodeCrossCheckFixture fixture) : IClassFixture<NodeCrossCheckFixture>
{
    private BridgeCluster H => fixture.H;

    private string Url => H.Engine.Url.ToString();

    private Task<NodeResult> Calls(JsonArray calls) => NodePeer.RunAsync("calls.mjs", [Url], calls.ToJsonString());

    private static JsonObject C(string functionId, string payload, JsonObject? until = null)
    {
        var call = new JsonObject { ["function_id"] = functionId, ["payload"] = JsonNode.Parse(payload) };
        if (until is not null)
        {
            call["until"] = until;
        }
        return call;
    }

    private static JsonObject UntilState(params string[] states) =>
        new() { ["path"] = new JsonArray("state"), ["in"] = new JsonArray([.. states.Select(s => JsonValue.Create(s))]), ["timeout_ms"] = 20000 };

    private static string StartPayload(string sid, string model) =>
        $$"""{"session_id":"{{sid}}","message_id":"m1","provider":"scripted","model":"{{model}}","messages":[{"role":"user","content":[{"type":"text","text":"hi"}],"timestamp":1}]}""";

    [Fact]
    public async Task A_node_client_starts_inspects_resolves_and_aborts_runs_and_sees_the_error_codes()
    {
        NodePeer.RequireAvailable();
        var model = H.Workspace.WriteScript("node-hang", Rounds(Hang));
        var sid = Runs.NewSession();

        var run = await Calls(
        [
            C("run::start", StartPayload(sid, model)),
            C("run::start", StartPayload(sid, model)),
            C("turn::get_state", $$"""{"session_id":"{{sid}}"}""", UntilState(TurnStates.AssistantStreaming)),
            C("approval::resolve", $$"""{"session_id":"{{sid}}","function_call_id":"nope","decision":"sometimes"}"""),
            C("run::start", $$"""{"payload":{{StartPayload(sid, model)}}}"""),
            C("turn::get_state", """{"session_id":42}"""),
            C("nobody::serves_this", "{}"),
            C("run::abort", $$"""{"session_id":"{{sid}}"}"""),
            C("turn::get_state", $$"""{"session_id":"{{sid}}"}""", UntilState(TurnStates.Stopped)),
            C("turn::get_state", """{"session_id":"never-started"}"""),
            C("approval::resolve", $$"""{"session_id":"{{sid}}","function_call_id":"c-late","decision":"deny"}"""),
        ]);

        run.AssertSucceeded();
        var r = run.Lines;
        Assert.True(r.Count == 11, string.Join('\n', r.Select(l => l.ToJsonString())));
        Assert.True(r[0]["result"]!["started"]!.GetValue<bool>());
        Assert.Equal((false, "session_busy"), (r[1]["result"]!["started"]!.GetValue<bool>(), r[1]["result"]!["reason"]!.GetValue<string>()));
        Assert.Equal(sid, r[2]["result"]!["session_id"]!.GetValue<string>());
        Assert.Equal(TurnStates.AssistantStreaming, r[2]["result"]!["state"]!.GetValue<string>());
        Assert.Equal((false, "invalid_payload", "decision"), (r[3]["result"]!["ok"]!.GetValue<bool>(), r[3]["result"]!["error"]!.GetValue<string>(), r[3]["result"]!["field"]!.GetValue<string>()));
        Assert.Equal("invalid_payload", r[4]["code"]!.GetValue<string>());
        Assert.Contains("payload: ", r[4]["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("invalid_payload", r[5]["code"]!.GetValue<string>());
        Assert.Contains("session_id: ", r[5]["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("function_not_found", r[6]["code"]!.GetValue<string>());
        Assert.True(r[7]["result"]!["aborted"]!.GetValue<bool>());
        Assert.Equal(TurnStates.Stopped, r[8]["result"]!["state"]!.GetValue<string>());
        Assert.True(r[9]["ok"]!.GetValue<bool>());
        Assert.Null(r[9]["result"]);
        Assert.True(r[10]["result"]!["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_tool_served_by_a_node_worker_is_called_by_the_turn_through_agent_trigger()
    {
        NodePeer.RequireAvailable();
        var model = H.Workspace.WriteScript("node-tool", Rounds(
            $"{Call("c-node", "node::greet", """{"text":"from the model"}""")},{Stop("function_call")}",
            $"{Text("the node tool answered")},{Stop("end")}"));
        var sid = Runs.NewSession();

        var run = await NodePeer.RunAsync("tool-worker.mjs", [Url, "node::greet", sid, model]);

        run.AssertSucceeded();
        var call = Assert.Single(run.Lines, l => l["event"]!.GetValue<string>() == "call")["payload"]!;
        Assert.Equal("from the model", call["text"]!.GetValue<string>());
        Assert.Equal((sid, "c-node", "node::greet"), (call["session_id"]!.GetValue<string>(), call["function_call_id"]!.GetValue<string>(), call["function_id"]!.GetValue<string>()));
        Assert.Equal(H.Bridge.WorkerId, call["_caller_worker_id"]!.GetValue<string>());
        Assert.Equal(TurnStates.Stopped, run.Lines.Single(l => l["event"]!.GetValue<string>() == "done")["state"]!["state"]!.GetValue<string>());

        var transcript = await H.Engine.InvokeAsync("session-tree::messages", new JsonObject { ["session_id"] = sid });
        var result = transcript!["messages"]!.AsArray().Select(m => m!["message"]).Single(m => m!["role"]!.GetValue<string>() == "function_result")!;
        Assert.Equal("node tool says hello", result["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("from the model", result["details"]!["echoed"]!.GetValue<string>());
        Assert.False(result["is_error"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_node_stream_trigger_on_agent_events_receives_the_turns_events_in_order()
    {
        NodePeer.RequireAvailable();
        var model = H.Workspace.WriteScript("node-events", Rounds($"{Text("words for the node subscriber")},{Stop("end")}"));
        var sid = Runs.NewSession();

        var run = await NodePeer.RunAsync("subscribe-events.mjs", [Url, sid, model]);

        run.AssertSucceeded();
        var frames = run.Lines.Where(l => l["event"]!.GetValue<string>() == "frame").Select(l => l["frame"]!.AsObject()).ToList();
        Assert.All(frames, f =>
        {
            Assert.Equal("stream", f["type"]!.GetValue<string>());
            Assert.Equal("agent::events", f["streamName"]!.GetValue<string>());
            Assert.Equal(sid, f["groupId"]!.GetValue<string>());
            Assert.Equal("create", f["event"]!["type"]!.GetValue<string>());
        });
        var ids = frames.Select(f => f["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var sequence = frames.Select(f => f["event"]!["data"]!).Select(Describe).Where(d => d != "message_update").ToList();
        Assert.Equal(
            ["turn_state_changed:provisioning", "turn_state_changed:assistant_streaming", "message_complete",
             "turn_state_changed:steering_check", "turn_end", "agent_end", "turn_state_changed:stopped"],
            sequence);
        var streamed = string.Concat(frames.Select(f => f["event"]!["data"]!)
            .Where(d => d["type"]!.GetValue<string>() == "message_update" && d["llm_event"]!["type"]!.GetValue<string>() == "text_delta")
            .Select(d => d["llm_event"]!["delta"]!.GetValue<string>()));
        Assert.Equal("words for the node subscriber", streamed);
    }

    [Fact]
    public async Task After_the_bridge_socket_is_killed_it_reattaches_and_keeps_serving_node_clients()
    {
        NodePeer.RequireAvailable();
        var model = H.Workspace.WriteScript("node-reconnect", Rounds($"{Text("still here")},{Stop("end")}"));
        var before = H.Bridge.WorkerId!;
        var connections = H.Bridge.ConnectionCount;

        H.Engine.Drop(before);

        await EngineStandIn.WaitUntilAsync(
            () => H.Bridge.ConnectionCount > connections && H.Engine.FunctionOwner("run::start") is { } owner && owner != before,
            TimeSpan.FromSeconds(15), "the bridge to reconnect and re-register");
        var reattach = H.Engine.Frames.First(f => f.WorkerId == H.Bridge.WorkerId);
        Assert.Equal("reattach", reattach.Type);
        Assert.Equal(before, reattach.Frame["previous_worker_id"]!.GetValue<string>());

        var sid = Runs.NewSession();
        var run = await Calls(
        [
            C("run::start", StartPayload(sid, model)),
            C("turn::get_state", $$"""{"session_id":"{{sid}}"}""", UntilState(TurnStates.Stopped)),
        ]);
        run.AssertSucceeded();
        Assert.True(run.Lines[0]["result"]!["started"]!.GetValue<bool>());
        Assert.Equal(TurnStates.Stopped, run.Lines[1]["result"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_provider_served_by_a_node_worker_streams_a_turns_answer_over_an_engine_channel()
    {
        NodePeer.RequireAvailable();
        var sid = Runs.NewSession();

        var run = await NodePeer.RunAsync("provider-worker.mjs", [Url, NodeCrossCheckFixture.NodeProvider, sid, "node-model-1"]);

        run.AssertSucceeded();
        var request = Assert.Single(run.Lines, l => l["event"]!.GetValue<string>() == "request");
        Assert.Equal("node-model-1", request["model"]!.GetValue<string>());
        Assert.Equal(["user"], request["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(["agent_trigger"], request["tools"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(TurnStates.Stopped, run.Lines.Single(l => l["event"]!.GetValue<string>() == "done")["state"]!["state"]!.GetValue<string>());
        var transcript = await H.Engine.InvokeAsync("session-tree::messages", new JsonObject { ["session_id"] = sid });
        var answer = transcript!["messages"]!.AsArray().Last()!["message"]!;
        Assert.Equal(("assistant", "hello from node"), (answer["role"]!.GetValue<string>(), answer["content"]![0]!["text"]!.GetValue<string>()));
        Assert.Equal(NodeCrossCheckFixture.NodeProvider, answer["provider"]!.GetValue<string>());
        var deltas = H.Engine.StreamItems("agent::events", sid)
            .Where(e => e!["type"]!.GetValue<string>() == "message_update" && e["llm_event"]!["type"]!.GetValue<string>() == "text_delta")
            .Select(e => e!["llm_event"]!["delta"]!.GetValue<string>());
        Assert.Equal("hello from node", string.Concat(deltas));
    }

    private static string Describe(JsonNode data)
    {
        var type = data["type"]!.GetValue<string>();
        return type == "turn_state_changed" ? $"{type}:{data["new_value"]!["state"]!.GetValue<string>()}" : type;
    }
}
