using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Events;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Tests.Storage;
using Harness.Triggers;
using Microsoft.Extensions.DependencyInjection;
using static Harness.Tests.Bridge.TestClients;

namespace Harness.Tests.Bridge;

/// <summary>
/// The C4 trigger types on two bridge silos: a browser-like peer binds a type through the engine (whichever silo is its
/// provider acknowledges), and every silo's <see cref="IConsoleTriggerPublisher"/> delivers to it, filtered by
/// <c>config.session_id</c>; a dead target is forgotten, bad config is refused naming the field, and the bindings are
/// stored (PostgreSQL) so they outlive a killed silo.
/// </summary>
public sealed class ConsoleTriggerBindingsTests : IAsyncLifetime
{
    private const string Browser = "console-c4";
    private const string Fn = $"iii::console::turn_started::{Browser}";

    private readonly ConcurrentQueue<JsonObject> _deliveries = new();
    private BridgeCluster _h = null!;
    private IiiWorkerClient _browser = null!;

    public async ValueTask InitializeAsync()
    {
        _h = await BridgeCluster.StartAsync(silos: 2, storage: PostgresDatabase.ConnectionString);
        _browser = await StartAsync(_h.Engine, BridgeFunctionCatalog.Of(Function(Fn, i =>
        {
            _deliveries.Enqueue(JsonNode.Parse(i.Data.GetRawText())!.AsObject());
            return null;
        })), "console-browser");
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.StopAsync();
        await _h.DisposeAsync();
    }

    private IConsoleTriggerPublisher Publisher(int silo) =>
        _h.Cluster.GetSiloServiceProvider(_h.Cluster.Silos[silo].SiloAddress).GetRequiredService<IConsoleTriggerPublisher>();

    private IConsoleTriggerBindingsGrain Bindings => _h.Grains.GetGrain<IConsoleTriggerBindingsGrain>(IConsoleTriggerBindingsGrain.Key);

    private static JsonObject Event(string sid, string turn) => new() { ["session_id"] = sid, ["turn_id"] = turn, ["timestamp"] = 1 };

    /// <summary>Binds through the engine and waits for the provider's acknowledgement; answers its error (null = accepted).</summary>
    private async Task<JsonNode?> BindAsync(string type, string function, string config)
    {
        var binding = _browser.RegisterTrigger(type, function, JsonDocument.Parse(config).RootElement.Clone());
        StandInFrame? ack = null;
        await EngineStandIn.WaitUntilAsync(
            () => (ack = _h.Engine.Frames.LastOrDefault(f => f.Type == "triggerregistrationresult" && f.Frame["id"]?.GetValue<string>() == binding.Id)) is not null,
            Patience, $"the acknowledgement of {type}");
        return ack!.Frame["error"];
    }

    private List<string> DeliveredTurns(string sid) =>
        [.. _deliveries.Where(d => d["session_id"]!.GetValue<string>() == sid).Select(d => d["turn_id"]!.GetValue<string>())];

    [Fact]
    public async Task A_binding_acknowledged_by_one_silo_is_delivered_from_every_silo_for_its_session_only()
    {
        var sid = Runs.NewSession();
        var other = Runs.NewSession();
        Assert.Null(await BindAsync(ConsoleTriggerTypes.TurnStarted, Fn, $$"""{"session_id":"{{sid}}"}"""));

        Publisher(0).Publish(ConsoleTriggerTypes.TurnStarted, other, Event(other, "t-other"));
        Publisher(0).Publish(ConsoleTriggerTypes.TurnStarted, sid, Event(sid, "t-0"));
        Publisher(1).Publish(ConsoleTriggerTypes.TurnStarted, sid, Event(sid, "t-1"));
        Publisher(1).Publish(ConsoleTriggerTypes.TurnCompleted, sid, Event(sid, "t-wrong-type"));
        await Publisher(0).FlushAsync();
        await Publisher(1).FlushAsync();

        Assert.Equal(["t-0", "t-1"], DeliveredTurns(sid).Order(StringComparer.Ordinal));
        Assert.Empty(DeliveredTurns(other));
    }

    [Fact]
    public async Task A_binding_without_a_session_filter_gets_every_session()
    {
        var a = Runs.NewSession();
        var b = Runs.NewSession();
        Assert.Null(await BindAsync(ConsoleTriggerTypes.TurnStarted, Fn, "{}"));

        Publisher(1).Publish(ConsoleTriggerTypes.TurnStarted, a, Event(a, "ta"));
        Publisher(0).Publish(ConsoleTriggerTypes.TurnStarted, b, Event(b, "tb"));
        await Publisher(0).FlushAsync();
        await Publisher(1).FlushAsync();

        Assert.Equal(["ta"], DeliveredTurns(a));
        Assert.Equal(["tb"], DeliveredTurns(b));
    }

    [Fact]
    public async Task Deliveries_of_one_session_keep_their_publish_order()
    {
        var sid = Runs.NewSession();
        Assert.Null(await BindAsync(ConsoleTriggerTypes.TurnStarted, Fn, $$"""{"session_id":"{{sid}}"}"""));
        var expected = Enumerable.Range(0, 20).Select(i => $"t{i:D2}").ToList();
        foreach (var turn in expected)
        {
            Publisher(0).Publish(ConsoleTriggerTypes.TurnStarted, sid, Event(sid, turn));
        }
        await Publisher(0).FlushAsync();
        Assert.Equal(expected, DeliveredTurns(sid));
    }

    [Fact]
    public async Task A_target_that_answers_function_not_found_loses_its_bindings()
    {
        var sid = Runs.NewSession();
        const string gone = "iii::console::turn_started::closed-tab";
        Assert.Null(await BindAsync(ConsoleTriggerTypes.TurnStarted, gone, $$"""{"session_id":"{{sid}}"}"""));
        Assert.Contains((await Bindings.Get()).Bindings, b => b.FunctionId == gone);

        Publisher(1).Publish(ConsoleTriggerTypes.TurnStarted, sid, Event(sid, "t"));
        await Publisher(1).FlushAsync();

        Assert.DoesNotContain((await Bindings.Get()).Bindings, b => b.FunctionId == gone);
    }

    [Fact]
    public async Task A_bad_session_filter_is_refused_naming_the_field_and_nothing_is_stored()
    {
        var error = await BindAsync(ConsoleTriggerTypes.MessageQueued, Fn, """{"session_id":42}""");
        Assert.NotNull(error);
        Assert.Equal("invalid_payload", error["code"]!.GetValue<string>());
        Assert.Contains("config.session_id", error["message"]!.GetValue<string>());
        Assert.DoesNotContain((await Bindings.Get()).Bindings, b => b.TriggerType == ConsoleTriggerTypes.MessageQueued && b.FunctionId == Fn);
    }

    [Fact]
    public async Task Bindings_are_stored_and_still_delivered_after_the_silo_holding_them_is_killed()
    {
        var sid = Runs.NewSession();
        Assert.Null(await BindAsync(ConsoleTriggerTypes.TurnStarted, Fn, $$"""{"session_id":"{{sid}}"}"""));
        var host = await _h.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(Bindings);
        Assert.NotNull(host);
        var victim = _h.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        var survivor = _h.Cluster.Silos.Single(s => !s.SiloAddress.Equals(host));
        await _h.Cluster.KillSiloAsync(victim);

        // A fresh activation reads the binding back from storage.
        Assert.Contains((await Bindings.Get()).Bindings, b => b.FunctionId == Fn && b.SessionId == sid);
        var publisher = _h.Cluster.GetSiloServiceProvider(survivor.SiloAddress).GetRequiredService<IConsoleTriggerPublisher>();
        publisher.Publish(ConsoleTriggerTypes.TurnStarted, sid, Event(sid, "after-kill"));
        await publisher.FlushAsync();
        Assert.Equal(["after-kill"], DeliveredTurns(sid));
    }
}
