using System.Text.Json.Nodes;
using Harness.Approvals;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.ConsoleTurns;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Harness.Validation;
using static Harness.Tests.Bridge.TestClients;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>
/// The deployment's gate rules (the C4 console's <c>approval-gate</c> entry, console-and-data §1.6): <c>approval::resolve</c>
/// with <c>access_duration:"always"</c> stores an allow rule there, which every later session meets (not only the
/// resolving one); <c>{default_mode, rules}</c> are validated when stored and met first by the gate.
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

    private IApprovalGateConfigGrain Config => _h.Grains.GetGrain<IApprovalGateConfigGrain>(IApprovalGateConfigGrain.Key);

    private async Task<JsonArray> StoredRulesAsync() => JsonNode.Parse((await Config.Get()).RulesJson)!.AsArray();

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

        var rules = await StoredRulesAsync();
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

        Assert.Empty(await StoredRulesAsync());
        var (_, state) = await LookupTurnAsync("session-2");
        Assert.Equal(TurnStates.FunctionAwaitingApproval, state.State);
    }

    [Fact]
    public async Task Deployment_gate_rules_are_kept_as_written_and_apply_to_every_session()
    {
        var initial = await Config.Get();
        Assert.Null(initial.DefaultMode);
        Assert.Empty(await StoredRulesAsync());

        // The console's saveApprovalGateDefaults shape: a shorthand deny and a rule scoped to auto mode, kept as written.
        var rules = JsonNode.Parse("""["!tools::forbidden",{"function":"tools::lookup","action":"allow","modes":["auto"]}]""")!;
        await Config.Set("manual", rules.ToJsonString());
        Assert.True(JsonNode.DeepEquals(rules, await StoredRulesAsync()));

        // The rule is scoped to auto mode: a manual session still asks.
        var (_, manual) = await LookupTurnAsync("rules-manual");
        Assert.Equal(TurnStates.FunctionAwaitingApproval, manual.State);

        // default_mode auto: a session that never set a mode follows it, and the auto-scoped rule allows the call.
        var old = await Config.Set("auto", rules.ToJsonString());
        Assert.Equal("manual", old.DefaultMode);
        var (auto, state) = await LookupTurnAsync("rules-auto");
        Assert.Equal(TurnStates.Stopped, state.State);
        Assert.Equal(ApprovalModes.Auto, (await _h.Grains.GetGrain<IApprovalSettingsGrain>(auto).GetSettings()).Mode);
    }

    [Fact]
    public async Task A_malformed_rule_or_mode_is_refused_naming_the_field_and_nothing_is_stored()
    {
        var bad = await Assert.ThrowsAsync<PayloadValidationException>(() =>
            Config.Set("full", """["tools::*",{"function":"tools::lookup","action":"maybe"}]"""));
        Assert.Equal("value.rules[1].action", bad.Field);
        var mode = await Assert.ThrowsAsync<PayloadValidationException>(() => Config.Set("sometimes", "[]"));
        Assert.Equal("value.default_mode", mode.Field);
        var stored = await Config.Get();
        Assert.Null(stored.DefaultMode);
        Assert.Equal(0, stored.Version);
        Assert.Empty(await StoredRulesAsync());
    }
}
