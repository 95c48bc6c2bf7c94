using System.Text.Json.Nodes;
using Harness.ConsoleTurns;
using Harness.Sessions;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using static Harness.Tests.Bridge.TestClients;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>
/// Session trigger subscriptions (console-and-data §1.6 "Session triggers"): an agent's <c>engine::register_trigger</c>
/// is owned by its session and listed by <c>harness::triggers::list</c> with the Rust harness's row fields; a fire wakes
/// the session with a message (and a <c>once</c> wake retires); <c>harness::triggers::unregister</c> tears it down.
/// </summary>
public sealed class SessionTriggersTests : IAsyncLifetime
{
    private BridgeCluster _h = null!;

    public async ValueTask InitializeAsync() =>
        _h = await BridgeCluster.StartAsync(permissions: TestWorkspace.DefaultPermissions + "\n  - \"engine::register_trigger\"\n");

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private Task<JsonNode?> Invoke(string functionId, JsonObject payload) => _h.Engine.InvokeAsync(functionId, payload, TimeSpan.FromSeconds(20));

    private async Task WaitForTurnsAsync(string sid, int completed) =>
        await EngineStandIn.WaitUntilAsync(async () =>
            (await _h.Grains.GetGrain<IConsoleTurnsGrain>(sid).Status()) is { } s && s.Turns.Count(t => t.EndedAt is not null) >= completed,
            Patience, $"{completed} finished turns of {sid}");

    /// <summary>A session whose agent subscribes to a durable topic, then says it is armed; a third round answers the wake.</summary>
    private async Task<(string Session, string Topic)> ArmedSessionAsync(string name)
    {
        var topic = $"topic-{Guid.NewGuid():N}";
        var register = $$"""{"trigger_type":"durable:subscriber","config":{"topic":"{{topic}}"},"label":"wake me"}""";
        var model = _h.Workspace.WriteScript(name, Rounds(
            $"{Call($"{name}-reg", "engine::register_trigger", register)},{Stop("function_call")}",
            $"{Text("Armed.")},{Stop("end")}",
            $"{Text("Woken.")},{Stop("end")}"));
        var sid = Runs.NewSession();
        await Invoke("harness::send", new JsonObject { ["session_id"] = sid, ["message"] = "wake me on the topic", ["model"] = model, ["provider"] = "scripted" });
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        await WaitForTurnsAsync(sid, 1);
        return (sid, topic);
    }

    private async Task<JsonArray> ListAsync(string sid) =>
        (await Invoke("harness::triggers::list", new JsonObject { ["session_id"] = sid }))!["subscriptions"]!.AsArray();

    [Fact]
    public async Task A_registered_wake_is_listed_and_its_fire_wakes_the_session_once()
    {
        var (sid, topic) = await ArmedSessionAsync("wake");
        var row = Assert.Single(await ListAsync(sid))!.AsObject();
        Assert.StartsWith("sub_", row["subscription_id"]!.GetValue<string>());
        Assert.Equal("durable:subscriber", row["trigger_type"]!.GetValue<string>());
        Assert.Equal(topic, row["config"]!["topic"]!.GetValue<string>());
        Assert.Equal("wake me", row["label"]!.GetValue<string>());
        Assert.True(row["once"]!.GetValue<bool>());
        Assert.Equal(0, row["fires"]!.GetValue<long>());
        Assert.Null(row["target"]);
        Assert.True(row["created_at"]!.GetValue<long>() > 0);
        Assert.Empty(await ListAsync(Runs.NewSession()));

        await Invoke("iii::durable::publish", new JsonObject { ["topic"] = topic, ["data"] = new JsonObject { ["done"] = "yes" } });
        await WaitForTurnsAsync(sid, 2);

        var texts = (await _h.Grains.GetGrain<ISessionGrain>(sid).Messages()).Messages.Select(m => m.Text).ToList();
        Assert.Contains(texts, t => t.StartsWith("[trigger wake me]", StringComparison.Ordinal) && t.Contains("\"done\":\"yes\"", StringComparison.Ordinal));
        Assert.Equal("Woken.", texts[^1]);
        Assert.Empty(await ListAsync(sid));   // a once wake retires on its fire
    }

    [Fact]
    public async Task Unregister_tears_a_subscription_down_for_its_owner_only()
    {
        var (sid, topic) = await ArmedSessionAsync("unreg");
        var id = Assert.Single(await ListAsync(sid))!["subscription_id"]!.GetValue<string>();
        var armed = (await Invoke("engine::registered-triggers::list", new JsonObject()))!["registered_triggers"]!.AsArray();
        Assert.Contains(armed, t => t!["id"]!.GetValue<string>() == id && t["function_id"]!.GetValue<string>() == "harness::trigger::deliver");

        var stranger = await Invoke("harness::triggers::unregister", new JsonObject { ["session_id"] = Runs.NewSession(), ["subscription_id"] = id });
        Assert.False(stranger!["removed"]!.GetValue<bool>());
        Assert.Single(await ListAsync(sid));

        var removed = await Invoke("harness::triggers::unregister", new JsonObject { ["session_id"] = sid, ["subscription_id"] = id });
        Assert.True(removed!["removed"]!.GetValue<bool>());
        Assert.Empty(await ListAsync(sid));
        var again = await Invoke("harness::triggers::unregister", new JsonObject { ["session_id"] = sid, ["subscription_id"] = id });
        Assert.False(again!["removed"]!.GetValue<bool>());

        var bound = (await Invoke("engine::registered-triggers::list", new JsonObject()))!["registered_triggers"]!.AsArray();
        Assert.DoesNotContain(bound, t => t!["id"]!.GetValue<string>() == id);
        await Assert.ThrowsAnyAsync<Exception>(() => Invoke("harness::triggers::unregister", new JsonObject { ["session_id"] = sid }));
    }
}
