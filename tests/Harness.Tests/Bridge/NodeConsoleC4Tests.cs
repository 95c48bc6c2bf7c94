using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Tests.Bridge.Schemas;
using Harness.Tests.Bridge.StandIn;
using static Harness.Tests.Bridge.TestClients;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>
/// The newest console chat (C4, console-and-data §1.6) played by a Node peer with the real <c>iii-sdk</c>
/// (<c>tests/node/console-c4-turns.mjs</c>) through the engine stand-in against two bridge silos: bindings before calls,
/// a chat whose tool needs approval (pending-created → resolve for the session → pending-resolved, turn-started /
/// turn-completed), an idempotency_key resend, a message sent while busy (queued, edited, unqueued), stop, bad input.
/// Replies and deliveries are checked against the schemas in <c>Bridge/Schemas/c4</c>.
/// </summary>
public sealed class NodeConsoleC4Tests : IAsyncLifetime
{
    private BridgeCluster _h = null!;
    private IiiWorkerClient _tools = null!;
    private readonly List<string> _toolCalls = [];

    public async ValueTask InitializeAsync()
    {
        _h = await BridgeCluster.StartAsync(silos: 2);
        _tools = await StartAsync(_h.Engine, BridgeFunctionCatalog.Of(
            Function("tools::lookup", _ => { lock (_toolCalls) { _toolCalls.Add("tools::lookup"); } return new { found = "the answer" }; })), "tools");
    }

    public async ValueTask DisposeAsync()
    {
        await _tools.StopAsync();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task The_C4_console_chats_approves_queues_and_stops_through_trigger_bindings()
    {
        NodePeer.RequireAvailable();
        var chatModel = _h.Workspace.WriteScript("c4-chat", Rounds(
            $"{Text("Let me look that up.")},{Call("c4-look", "tools::lookup", """{"q":"x"}""")},{Stop("function_call")}",
            $"{Text("Found it.")},{Stop("end")}"));
        var hangModel = _h.Workspace.WriteScript("c4-hang", Rounds(Hang));
        var chat = $"c4-{Guid.NewGuid():N}";
        var busy = $"c4-{Guid.NewGuid():N}";
        var config = new JsonObject
        {
            ["chat_session"] = chat, ["busy_session"] = busy, ["chat_model"] = chatModel, ["hang_model"] = hangModel, ["provider"] = "scripted",
        };

        var run = await NodePeer.RunAsync("console-c4-turns.mjs", [_h.Engine.Url.ToString()], config.ToJsonString(), timeoutSeconds: 150);

        run.AssertSucceeded();
        JsonObject Line(string name) => run.Lines.Single(l => l["event"]!.GetValue<string>() == name);
        static JsonNode? Ok(JsonNode? reply)
        {
            Assert.True(reply!["ok"]!.GetValue<bool>(), reply.ToJsonString());
            return reply["result"];
        }
        static string S(JsonNode? node) => node!.GetValue<string>();

        // Chat: the kickoff, one approval card, resolved for the session, the turn's start and end, its status.
        var c = Line("chat");
        var first = Ok(c["first"]);
        C4Schemas.AssertValid("harness.send.response.json", first);
        Assert.True(first!["accepted"]!.GetValue<bool>());
        Assert.Equal(chat, S(first["session_id"]));
        Assert.Null(first["queued"]);
        var turnId = S(first["turn_id"]);

        C4Schemas.AssertValid("pending-created.json", c["created"]);
        Assert.Equal("tools::lookup", S(c["created"]!["function_id"]));
        Assert.Equal("c4-look", S(c["created"]!["function_call_id"]));
        Assert.Equal(turnId, S(c["created"]!["turn_id"]));
        var listed = Ok(c["listed_session"]);
        C4Schemas.AssertValid("list-pending.response.json", listed);
        Assert.Equal(["c4-look"], listed!["pending"]!.AsArray().Select(p => S(p!["function_call_id"])));
        Assert.Single(c["listed_all"]!.AsArray());
        Assert.True(Ok(c["resolved"])!["ok"]!.GetValue<bool>());

        C4Schemas.AssertValid("pending-resolved.json", c["resolved_event"]);
        Assert.Equal("allow", S(c["resolved_event"]!["outcome"]));
        Assert.Equal("tools::lookup", S(c["resolved_event"]!["function_id"]));
        Assert.Equal(turnId, S(c["resolved_event"]!["turn_id"]));
        var started = Assert.Single(c["started"]!.AsArray());
        C4Schemas.AssertValid("turn-started.json", started);
        Assert.Equal(turnId, S(started!["turn_id"]));
        C4Schemas.AssertValid("turn-completed.json", c["completed"]);
        Assert.Equal("completed", S(c["completed"]!["status"]));
        Assert.Equal(turnId, S(c["completed"]!["turn_id"]));
        var status = Ok(c["status"]);
        C4Schemas.AssertValid("harness.status.response.json", status);
        Assert.Equal("completed", S(status!["status"]));
        Assert.Equal(turnId, S(status["turn_id"]));
        Assert.Contains(c["approved_always"]!.AsArray(), f => (f is JsonValue v ? v.GetValue<string>() : S(f!["function_id"])) == "tools::lookup");
        Assert.Empty(Ok(c["listed_after"])!["pending"]!.AsArray());
        Assert.Equal(["tools::lookup"], _toolCalls);

        // The same idempotency_key again: the first reply, deduplicated, and no second turn.
        var again = Ok(c["again"]);
        C4Schemas.AssertValid("harness.send.response.json", again);
        Assert.True(again!["deduplicated"]!.GetValue<bool>());
        Assert.Equal(turnId, S(again["turn_id"]));
        Assert.Single(Ok(c["status_again"])!["turns"]!.AsArray());

        // Busy: a send while the turn streams is queued (not refused), shown by status, edited, unqueued; stop cancels.
        var b = Line("busy");
        var busyTurn = S(Ok(b["running"])!["turn_id"]);
        Assert.Equal(busyTurn, S(b["started"]!["turn_id"]));
        var queued = Ok(b["queued_reply"]);
        C4Schemas.AssertValid("harness.send.response.json", queued);
        Assert.True(queued!["accepted"]!.GetValue<bool>());
        Assert.True(queued["queued"]!.GetValue<bool>());
        Assert.Equal(busyTurn, S(queued["turn_id"]));
        var statusQueued = Ok(b["status_queued"]);
        C4Schemas.AssertValid("harness.status.response.json", statusQueued);
        Assert.Equal("running", S(statusQueued!["status"]));
        var entry = Assert.Single(statusQueued["queued"]!.AsArray());
        Assert.Equal("queued one", S(entry!["message"]!["content"]![0]!["text"]));
        Assert.Equal(S(entry["entry_id"]), S(b["queued_event"]!["entry_id"]));
        Assert.Equal(busyTurn, S(b["queued_event"]!["turn_id"]));
        Assert.True(Ok(b["edited"])!["found"]!.GetValue<bool>());
        Assert.Equal("edited one", S(Ok(b["status_edited"])!["queued"]![0]!["message"]!["content"]![0]!["text"]));
        Assert.True(Ok(b["unqueued"])!["found"]!.GetValue<bool>());
        Assert.Empty(Ok(b["status_unqueued"])!["queued"]!.AsArray());
        var stop = Ok(b["stop"]);
        C4Schemas.AssertValid("harness.stop.response.json", stop);
        Assert.True(stop!["stopping"]!.GetValue<bool>());
        C4Schemas.AssertValid("turn-completed.json", b["cancelled"]);
        Assert.Equal("cancelled", S(b["cancelled"]!["status"]));
        Assert.Equal(busyTurn, S(b["cancelled"]!["turn_id"]));
        Assert.Equal("cancelled", S(Ok(b["status_stopped"])!["status"]));
        Assert.False(Ok(b["stop_again"])!["stopping"]!.GetValue<bool>());

        // Bad input names the field.
        var bad = Line("bad");
        Assert.False(bad["no_message"]!["ok"]!.GetValue<bool>());
        Assert.Contains("message", S(bad["no_message"]!["message"]));
        var duration = Ok(bad["bad_duration"]);
        Assert.False(duration!["ok"]!.GetValue<bool>());
        Assert.Equal("access_duration", S(duration["field"]));
        Assert.False(bad["no_model"]!["ok"]!.GetValue<bool>());
        Assert.Contains("model", S(bad["no_model"]!["message"]));

        // Presence: the console shows its approval UI only when a worker is named approval-gate.
        Assert.Contains(_h.Engine.Workers, w => w.Name == "approval-gate");
        Assert.Contains(_h.Engine.Workers, w => w.Name == BridgeCluster.WorkerName);
    }
}
