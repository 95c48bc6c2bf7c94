using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.ConsoleTurns;
using Harness.Events;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Tests.Storage;
using Harness.Turns;
using static Harness.Tests.Bridge.TestClients;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>
/// The C4 turn events survive a silo kill: <c>harness::turn-started</c> / <c>turn-completed</c> are stored in the
/// session's outbox with the fact they announce and delivered in order from there, so the silo that held them dying
/// mid-delivery loses nothing — the survivor delivers them again (at least once, in order).
/// </summary>
public sealed class ConsoleTurnEventsDurabilityTests : IAsyncLifetime
{
    private const string Browser = "console-durable";
    private const string Started = $"iii::console::turn_started::{Browser}";
    private const string Completed = $"iii::console::turn_completed::{Browser}";

    private readonly ConcurrentQueue<(string Type, JsonObject Payload)> _deliveries = new();
    private readonly TaskCompletionSource _online = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BridgeCluster _h = null!;
    private IiiWorkerClient _browser = null!;

    public async ValueTask InitializeAsync()
    {
        _h = await BridgeCluster.StartAsync(silos: 2, storage: PostgresDatabase.ConnectionString);
        // Until _online is set the browser takes each delivery but never answers (a stalled tab: the bridge times out).
        async Task<object?> Record(string type, BridgeInvocation i, CancellationToken ct)
        {
            _deliveries.Enqueue((type, JsonNode.Parse(i.Data.GetRawText())!.AsObject()));
            await _online.Task.WaitAsync(ct);
            return null;
        }
        _browser = await StartAsync(_h.Engine, BridgeFunctionCatalog.Of(
            AsyncFunction(Started, (i, ct) => Record(ConsoleTriggerTypes.TurnStarted, i, ct)),
            AsyncFunction(Completed, (i, ct) => Record(ConsoleTriggerTypes.TurnCompleted, i, ct))), "console-browser");
    }

    public async ValueTask DisposeAsync()
    {
        _online.TrySetResult();
        await _browser.StopAsync();
        await _h.DisposeAsync();
    }

    private async Task BindAsync(string type, string function, string sid)
    {
        var binding = _browser.RegisterTrigger(type, function, Json($$"""{"session_id":"{{sid}}"}"""));
        await EngineStandIn.WaitUntilAsync(
            () => _h.Engine.Frames.Any(f => f.Type == "triggerregistrationresult" && f.Frame["id"]?.GetValue<string>() == binding.Id && f.Frame["error"] is null),
            Patience, $"the acknowledgement of {type}");
    }

    private List<string> Types(string sid) =>
        [.. _deliveries.Where(d => d.Payload["session_id"]?.GetValue<string>() == sid).Select(d => d.Type)];

    [Fact]
    public async Task Turn_events_held_by_a_killed_silo_are_delivered_by_the_survivor_in_order()
    {
        var sid = Runs.NewSession();
        await BindAsync(ConsoleTriggerTypes.TurnStarted, Started, sid);
        await BindAsync(ConsoleTriggerTypes.TurnCompleted, Completed, sid);
        var model = _h.Workspace.WriteScript("durable-events", Rounds($"{Text("done")},{Stop("end")}"));

        await _h.Engine.InvokeAsync("harness::send", new JsonObject { ["session_id"] = sid, ["message"] = "hi", ["model"] = model, ["provider"] = "scripted" }, Patience);
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        var ledger = _h.Grains.GetGrain<IConsoleTurnsGrain>(sid);
        ConsoleStatusReport? status = null;
        await EngineStandIn.WaitUntilAsync(async () => (status = await ledger.Status())?.Turns.Any(t => t.EndedAt is not null) == true, Patience, "the turn to be recorded ended");
        var turnId = Assert.Single(status!.Turns).TurnId;
        await EngineStandIn.WaitUntilAsync(() => Types(sid).Count > 0, Patience, "the stalled turn-started delivery");
        Assert.DoesNotContain(ConsoleTriggerTypes.TurnCompleted, Types(sid));   // queued behind the stalled delivery

        var host = await _h.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(ledger);
        Assert.NotNull(host);
        await _h.Cluster.KillSiloAsync(_h.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));
        _online.TrySetResult();

        // Nobody calls the session: its outbox reminder brings it back on the survivor, which delivers what was left.
        await EngineStandIn.WaitUntilAsync(() => Types(sid).Contains(ConsoleTriggerTypes.TurnCompleted), TimeSpan.FromSeconds(40), "turn-completed after the kill");
        var types = Types(sid);
        Assert.Equal(ConsoleTriggerTypes.TurnStarted, types[0]);
        Assert.True(types.LastIndexOf(ConsoleTriggerTypes.TurnStarted) < types.IndexOf(ConsoleTriggerTypes.TurnCompleted), string.Join(", ", types));
        var completed = _deliveries.First(d => d.Type == ConsoleTriggerTypes.TurnCompleted && d.Payload["session_id"]!.GetValue<string>() == sid).Payload;
        Assert.Equal(turnId, completed["turn_id"]!.GetValue<string>());
        Assert.Equal(ConsoleTurnStatuses.Completed, completed["status"]!.GetValue<string>());
    }
}
