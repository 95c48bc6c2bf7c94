using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.ConsoleTurns;
using Harness.Messages;
using Harness.Sessions;
using Harness.Tests.Bridge.Schemas;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using static Harness.Tests.Bridge.TestClients;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>
/// The C4 turn surface over the existing FSM: a send during an approval wait merges into the running turn (its
/// steering check takes it), sends inherit the model and mint a session id, and a C2 <c>run::start</c> continues a C4
/// session as its next turn with its own id.
/// </summary>
public sealed class ConsoleTurnsTests : IAsyncLifetime
{
    private BridgeCluster _h = null!;
    private IiiWorkerClient _tools = null!;
    private int _lookups;

    public async ValueTask InitializeAsync()
    {
        _h = await BridgeCluster.StartAsync();
        _tools = await StartAsync(_h.Engine, BridgeFunctionCatalog.Of(Function("tools::lookup", _ => { Interlocked.Increment(ref _lookups); return new { found = "the answer" }; })), "tools");
    }

    public async ValueTask DisposeAsync()
    {
        await _tools.StopAsync();
        await _h.DisposeAsync();
    }

    private Task<JsonNode?> Invoke(string functionId, JsonObject payload) => _h.Engine.InvokeAsync(functionId, payload, TimeSpan.FromSeconds(20));

    private async Task<ConsoleStatusReport> WaitForTurnsAsync(string sid, int completed)
    {
        ConsoleStatusReport? last = null;
        await EngineStandIn.WaitUntilAsync(async () =>
        {
            last = await _h.Grains.GetGrain<IConsoleTurnsGrain>(sid).Status();
            return last is not null && last.Turns.Count(t => t.EndedAt is not null) >= completed;
        }, Patience, $"{completed} finished turns of {sid}");
        return last!;
    }

    [Fact]
    public async Task A_message_sent_while_a_call_awaits_approval_is_merged_and_the_running_turn_takes_it()
    {
        var model = _h.Workspace.WriteScript("c4-merge", Rounds(
            $"{Call("m-look", "tools::lookup", "{}")},{Stop("function_call")}",
            $"{Text("Answered both.")},{Stop("end")}"));
        var sid = Runs.NewSession();
        await Invoke("harness::send", new JsonObject { ["session_id"] = sid, ["message"] = "first", ["model"] = model, ["provider"] = "scripted" });
        await EngineStandIn.WaitUntilAsync(async () => (await _h.Turn(sid).GetState())?.State == TurnStates.FunctionAwaitingApproval, Patience, "the approval wait");

        var merged = await Invoke("harness::send", new JsonObject { ["session_id"] = sid, ["message"] = "and also this" });
        C4Schemas.AssertValid("harness.send.response.json", merged);
        Assert.True(merged!["merged"]!.GetValue<bool>());
        Assert.Null(merged["queued"]);
        Assert.Single((await _h.Grains.GetGrain<IConsoleTurnsGrain>(sid).Status())!.Queued);

        await Invoke("approval::resolve", new JsonObject { ["session_id"] = sid, ["function_call_id"] = "m-look", ["decision"] = "allow" });
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);

        var messages = (await _h.Grains.GetGrain<ISessionGrain>(sid).Messages()).Messages;
        var roles = messages.Select(m => m.Role == Roles.User ? $"user:{m.Text}" : m.Role).ToList();
        Assert.Equal(["user:first", Roles.Assistant, Roles.FunctionResult, "user:and also this", Roles.Assistant], roles);
        var status = await WaitForTurnsAsync(sid, 1);
        Assert.Empty(status.Queued);
        Assert.Equal(ConsoleTurnStatuses.Completed, Assert.Single(status.Turns).Status);
    }

    [Fact]
    public async Task A_send_without_a_session_mints_one_and_later_sends_inherit_the_model()
    {
        var model = _h.Workspace.WriteScript("c4-inherit", Rounds($"{Text("one")},{Stop("end")}", $"{Text("two")},{Stop("end")}"));
        var first = await Invoke("harness::send", new JsonObject { ["message"] = "hello", ["model"] = model, ["provider"] = "scripted" });
        var sid = first!["session_id"]!.GetValue<string>();
        Assert.StartsWith("sess-", sid);
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        await WaitForTurnsAsync(sid, 1);

        var second = await Invoke("harness::send", new JsonObject { ["session_id"] = sid, ["message"] = "again" });
        Assert.True(second!["accepted"]!.GetValue<bool>());
        Assert.NotEqual(first["turn_id"]!.GetValue<string>(), second["turn_id"]!.GetValue<string>());
        var status = await WaitForTurnsAsync(sid, 2);
        Assert.Equal([first["turn_id"]!.GetValue<string>(), second["turn_id"]!.GetValue<string>()], status.Turns.Select(t => t.TurnId));
        Assert.Equal(model, (await _h.Turn(sid).GetRunRequest())!.Model);
    }

    [Fact]
    public async Task A_C2_run_start_continues_a_C4_session_as_its_next_turn()
    {
        var model = _h.Workspace.WriteScript("c4-then-c2", Rounds($"{Text("from c4")},{Stop("end")}", $"{Text("from c2")},{Stop("end")}"));
        var sid = Runs.NewSession();
        var c4 = await Invoke("harness::send", new JsonObject { ["session_id"] = sid, ["message"] = "c4 says hi", ["model"] = model, ["provider"] = "scripted" });
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        await WaitForTurnsAsync(sid, 1);

        var c2 = await Invoke("run::start", JsonNode.Parse($$"""{"session_id":"{{sid}}","provider":"scripted","model":"{{model}}","messages":[{"role":"user","content":[{"type":"text","text":"c2 says hi"}],"timestamp":1}]}""")!.AsObject());
        Assert.True(c2!["started"]!.GetValue<bool>());
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);

        var status = await WaitForTurnsAsync(sid, 2);
        Assert.Equal(c4!["turn_id"]!.GetValue<string>(), status.Turns[0].TurnId);
        Assert.NotEqual(status.Turns[0].TurnId, status.Turns[1].TurnId);
        Assert.All(status.Turns, t => Assert.Equal(ConsoleTurnStatuses.Completed, t.Status));
        var texts = (await _h.Grains.GetGrain<ISessionGrain>(sid).Messages()).Messages.Select(m => m.Text).ToList();
        Assert.Equal(["c4 says hi", "from c4", "c2 says hi", "from c2"], texts);
    }

    [Fact]
    public async Task A_call_outside_the_sends_function_policy_is_refused_without_asking_and_later_sends_keep_the_policy()
    {
        var model = _h.Workspace.WriteScript("c4-policy", Rounds(
            $"{Call("p-look", "tools::lookup", "{}")},{Stop("function_call")}",
            $"{Text("Could not look it up.")},{Stop("end")}",
            $"{Call("p-look2", "tools::lookup", "{}")},{Stop("function_call")}",
            $"{Text("Still not.")},{Stop("end")}"));
        var sid = Runs.NewSession();
        var options = new JsonObject { ["functions"] = new JsonObject { ["allow"] = new JsonArray("tools::*"), ["deny"] = new JsonArray("tools::lookup") } };
        await Invoke("harness::send", new JsonObject { ["session_id"] = sid, ["message"] = "look", ["model"] = model, ["provider"] = "scripted", ["options"] = options });
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        await WaitForTurnsAsync(sid, 1);
        await Invoke("harness::send", new JsonObject { ["session_id"] = sid, ["message"] = "look again" });
        await WaitForTurnsAsync(sid, 2);

        Assert.Equal(0, _lookups);
        Assert.Empty(await _h.Grains.GetGrain<IPendingApprovalsGrain>(IPendingApprovalsGrain.Key).List(sid, 10));
        var results = (await _h.Grains.GetGrain<ISessionGrain>(sid).Messages()).Messages.Where(m => m.Role == Roles.FunctionResult).ToList();
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Contains("not allowed in this turn", r.Text));
    }

    [Fact]
    public async Task A_bad_function_policy_is_refused_naming_the_field()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Invoke("harness::send", new JsonObject
        {
            ["session_id"] = Runs.NewSession(), ["message"] = "x", ["model"] = "m", ["provider"] = "scripted",
            ["options"] = new JsonObject { ["functions"] = new JsonObject { ["allow"] = new JsonArray(""), ["expose"] = "native" } },
        }));
        Assert.Contains("options.functions.allow[0]", error.Message);
    }
}
