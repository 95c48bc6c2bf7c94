using System.Text.Json.Nodes;
using Harness.Approvals;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.ConsoleTurns;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using static Harness.Tests.Bridge.TestClients;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>
/// The C4 console's gate rules (console-and-data §1.6): <c>approval::resolve</c> with <c>access_duration:"always"</c>
/// stores an allow rule in the <c>approval-gate</c> configuration, which every later session meets (not only the
/// resolving one), and <c>configuration::get/set {id:"approval-gate"}</c> read and write <c>{default_mode, rules}</c>.
/// </summary>
public sealed class ApprovalGateConfigTests : IAsyncLifetime
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

    /// <summary>Sends a turn that calls tools::lookup once; answers the state it settles in (stopped, or parked for a human).</summary>
    private async Task<(string Session, TurnStateView State)> LookupTurnAsync(string name)
    {
        var model = _h.Workspace.WriteScript(name, Rounds(
            $"{Call($"{name}-call", "tools::lookup", "{}")},{Stop("function_call")}",
            $"{Text("Looked it up.")},{Stop("end")}"));
        var sid = Runs.NewSession();
        await Invoke("harness::send", new JsonObject { ["session_id"] = sid, ["message"] = "look it up", ["model"] = model, ["provider"] = "scripted" });
        TurnStateView? state = null;
        await EngineStandIn.WaitUntilAsync(async () =>
        {
            state = await _h.Turn(sid).GetState();
            return state is not null && (TurnStates.IsTerminal(state.State) || state.State == TurnStates.FunctionAwaitingApproval);
        }, Patience, $"the turn of {sid} to stop or park");
        return (sid, state!);
    }

    private Task<JsonNode?> GetConfig() => Invoke("configuration::get", new JsonObject { ["id"] = "approval-gate" });

    [Fact]
    public async Task An_always_allow_in_one_session_lets_the_function_run_unasked_in_every_later_session()
    {
        var (first, parked) = await LookupTurnAsync("always-1");
        Assert.Equal(TurnStates.FunctionAwaitingApproval, parked.State);
        var resolved = await Invoke("approval::resolve", new JsonObject
        {
            ["session_id"] = first, ["function_call_id"] = "always-1-call", ["decision"] = "allow", ["access_duration"] = "always",
        });
        Assert.True(resolved!["ok"]!.GetValue<bool>());
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(first)).State);

        var rules = (await GetConfig())!["value"]!["rules"]!.AsArray();
        var rule = Assert.Single(rules)!.AsObject();
        Assert.Equal("tools::lookup", rule["function"]!.GetValue<string>());
        Assert.Equal("allow", rule["action"]!.GetValue<string>());

        var (second, state) = await LookupTurnAsync("always-2");
        Assert.Equal(TurnStates.Stopped, state.State);
        Assert.Equal(2, _lookups);
        Assert.Empty(await _h.Grains.GetGrain<IPendingApprovalsGrain>(IPendingApprovalsGrain.Key).List(second, 10));
    }

    [Fact]
    public async Task A_session_allow_stays_in_its_session()
    {
        var (first, _) = await LookupTurnAsync("session-1");
        await Invoke("approval::resolve", new JsonObject
        {
            ["session_id"] = first, ["function_call_id"] = "session-1-call", ["decision"] = "allow", ["access_duration"] = "session",
        });
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(first)).State);

        Assert.Empty((await GetConfig())!["value"]!["rules"]!.AsArray());
        var (_, state) = await LookupTurnAsync("session-2");
        Assert.Equal(TurnStates.FunctionAwaitingApproval, state.State);
    }

    [Fact]
    public async Task The_consoles_gate_rules_round_trip_and_apply_to_every_session()
    {
        var initial = await GetConfig();
        Assert.Equal("approval-gate", initial!["id"]!.GetValue<string>());
        Assert.Equal("manual", initial["value"]!["default_mode"]!.GetValue<string>());
        Assert.Empty(initial["value"]!["rules"]!.AsArray());

        // What the console's saveApprovalGateDefaults writes: an auto-mode seed and an unrelated shorthand rule, kept as written.
        var value = JsonNode.Parse("""{"default_mode":"manual","rules":["!tools::forbidden",{"function":"tools::lookup","action":"allow","modes":["auto"]}]}""")!.AsObject();
        var set = await Invoke("configuration::set", new JsonObject { ["id"] = "approval-gate", ["value"] = value.DeepClone() });
        Assert.True(JsonNode.DeepEquals(value, set!["new_value"]));
        Assert.True(JsonNode.DeepEquals(value, (await GetConfig())!["value"]));

        // The rule is scoped to auto mode: a manual session still asks.
        var (_, manual) = await LookupTurnAsync("rules-manual");
        Assert.Equal(TurnStates.FunctionAwaitingApproval, manual.State);

        // default_mode auto: a session that never set a mode follows it, and the auto-scoped rule allows the call.
        value["default_mode"] = "auto";
        var old = await Invoke("configuration::set", new JsonObject { ["id"] = "approval-gate", ["value"] = value.DeepClone() });
        Assert.Equal("manual", old!["old_value"]!["default_mode"]!.GetValue<string>());
        var (auto, state) = await LookupTurnAsync("rules-auto");
        Assert.Equal(TurnStates.Stopped, state.State);
        Assert.Equal(ApprovalModes.Auto, (await _h.Grains.GetGrain<IApprovalSettingsGrain>(auto).GetSettings()).Mode);
    }

    [Fact]
    public async Task A_malformed_rule_or_another_id_is_refused_and_nothing_is_stored()
    {
        var bad = await Assert.ThrowsAnyAsync<Exception>(() => Invoke("configuration::set", new JsonObject
        {
            ["id"] = "approval-gate",
            ["value"] = JsonNode.Parse("""{"default_mode":"full","rules":["tools::*",{"function":"tools::lookup","action":"maybe"}]}"""),
        }));
        Assert.Contains("invalid_payload", bad.Message);
        Assert.Contains("value.rules[1].action", bad.Message);
        var mode = await Assert.ThrowsAnyAsync<Exception>(() => Invoke("configuration::set", new JsonObject
        {
            ["id"] = "approval-gate", ["value"] = JsonNode.Parse("""{"default_mode":"sometimes"}"""),
        }));
        Assert.Contains("value.default_mode", mode.Message);
        var stored = (await GetConfig())!["value"]!;
        Assert.Equal("manual", stored["default_mode"]!.GetValue<string>());
        Assert.Empty(stored["rules"]!.AsArray());

        var other = await Assert.ThrowsAnyAsync<Exception>(() => Invoke("configuration::get", new JsonObject { ["id"] = "shell" }));
        Assert.Contains(ConfigurationBridgeFunctions.NotFound, other.Message);
    }
}
