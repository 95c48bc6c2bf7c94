using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Harness.Ui;
using static Harness.Tests.Bridge.TestClients;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>
/// The <c>ui::*</c> fanout across two bridge silos: a browser-like peer registers the push functions, subscribes through
/// the engine (whichever silo takes the call) and gets the pushes from whichever silo runs the turn.
/// </summary>
public sealed class UiFanoutTests : IAsyncLifetime
{
    private BridgeCluster _h = null!;
    private IiiWorkerClient _browser = null!;
    private readonly ConcurrentQueue<(string Function, JsonObject Payload)> _pushes = new();

    private const string B = "console-b1";

    public async ValueTask InitializeAsync()
    {
        _h = await BridgeCluster.StartAsync(silos: 2);
        _browser = await StartAsync(_h.Engine, BridgeFunctionCatalog.Of(
            Recorder($"ui::session::event::{B}"), Recorder($"ui::traces::changed::{B}"), Recorder($"ui::models::changed::{B}"),
            Recorder($"ui::sessions::changed::{B}")), "browser");
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.StopAsync();
        await _h.DisposeAsync();
    }

    private BridgeFunctionDescriptor Recorder(string id) => Function(id, i =>
    {
        _pushes.Enqueue((id, JsonNode.Parse(i.Data.GetRawText())!.AsObject()));
        return null;
    });

    private Task<JsonNode?> Invoke(string functionId, string payload) => _h.Engine.InvokeAsync(functionId, JsonNode.Parse(payload), TimeSpan.FromSeconds(15));

    private List<JsonObject> Pushed(string function) => [.. _pushes.Where(p => p.Function == function).Select(p => p.Payload)];

    private async Task<string> RunAsync(string name)
    {
        var model = _h.Workspace.WriteScript(name, Rounds($"{Text("hello there")},{Stop("end")}"));
        var sid = Runs.NewSession();
        await Invoke("run::start", $$"""{"session_id":"{{sid}}","provider":"scripted","model":"{{model}}","messages":[{"role":"user","content":[{"type":"text","text":"hi"}],"timestamp":1}]}""");
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        return sid;
    }

    [Fact]
    public async Task A_session_subscriber_gets_every_event_of_that_session_in_order_and_none_of_others()
    {
        var sid = Runs.NewSession();
        var reply = await Invoke("ui::subscribe", $$"""{"browser_id":"{{B}}","session_id":"{{sid}}"}""");
        Assert.True(reply!["ok"]!.GetValue<bool>());
        Assert.Equal(1, reply["total_browsers"]!.GetValue<int>());
        var model = _h.Workspace.WriteScript("ui-one", Rounds($"{Text("hello there")},{Stop("end")}"));

        await Invoke("run::start", $$"""{"session_id":"{{sid}}","provider":"scripted","model":"{{model}}","messages":[{"role":"user","content":[{"type":"text","text":"hi"}],"timestamp":1}]}""");
        var other = await RunAsync("ui-other");

        await EngineStandIn.WaitUntilAsync(
            () => Pushed($"ui::session::event::{B}").Any(p => p["event"]!["type"]!.GetValue<string>() == "turn_state_changed" && p["event"]!["new_value"]?["state"]?.GetValue<string>() == "stopped"),
            Patience, "the last event of the subscribed session");
        var pushed = Pushed($"ui::session::event::{B}");
        Assert.All(pushed, p => Assert.Equal(sid, p["session_id"]!.GetValue<string>()));
        var engineTypes = _h.Engine.StreamItems("agent::events", sid).Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(engineTypes, pushed.Select(p => p["event"]!["type"]!.GetValue<string>()));
        Assert.DoesNotContain(pushed, p => p["session_id"]!.GetValue<string>() == other);
    }

    [Fact]
    public async Task An_all_sessions_subscriber_gets_traces_changed_after_turn_end_and_events_of_every_session()
    {
        await Invoke("ui::subscribe", $$$"""{"body":{"browser_id":"{{{B}}}","session_id":null}}""");

        var sid = await RunAsync("ui-traces");

        await EngineStandIn.WaitUntilAsync(() => Pushed($"ui::traces::changed::{B}").Count > 0, Patience, "ui::traces::changed");
        // {} as sent (the stand-in adds its _caller_worker_id).
        Assert.All(Pushed($"ui::traces::changed::{B}"), p => Assert.DoesNotContain(p, kv => !kv.Key.StartsWith('_')));
        Assert.Contains(Pushed($"ui::session::event::{B}"), p => p["session_id"]!.GetValue<string>() == sid);
    }

    [Fact]
    public async Task An_all_sessions_subscriber_hears_of_each_new_session_once()
    {
        await Invoke("ui::subscribe", $$$"""{"body":{"browser_id":"{{{B}}}","session_id":null}}""");
        var sid = Runs.NewSession();

        await Invoke("session-tree::create", $$"""{"session_id":"{{sid}}"}""");
        await Invoke("session-tree::append", $$$"""{"session_id":"{{{sid}}}","message":{"role":"user","content":[{"type":"text","text":"hi"}],"timestamp":1}}""");
        var other = await RunAsync("ui-sessions");  // created by run::start's first append

        await EngineStandIn.WaitUntilAsync(() => Pushed($"ui::sessions::changed::{B}").Count >= 2, Patience, "ui::sessions::changed");
        var added = Pushed($"ui::sessions::changed::{B}").Select(p => Assert.Single(p["added"]!.AsArray())!.GetValue<string>()).ToList();
        Assert.Equal(1, added.Count(a => a == sid));
        Assert.Equal(1, added.Count(a => a == other));
        Assert.All(Pushed($"ui::sessions::changed::{B}"), p => Assert.Empty(p["removed"]!.AsArray()));
    }

    [Fact]
    public async Task A_models_subscriber_hears_of_every_catalog_change()
    {
        Assert.True((await Invoke("ui::models::subscribe", $$"""{"browser_id":"{{B}}"}"""))!["ok"]!.GetValue<bool>());

        await Invoke("provider::scripted::refresh_models", "{}");

        await EngineStandIn.WaitUntilAsync(() => Pushed($"ui::models::changed::{B}").Count > 0, Patience, "ui::models::changed");
        Assert.Equal("models-changed", Pushed($"ui::models::changed::{B}")[0]["reason"]!.GetValue<string>());
        await Invoke("ui::models::unsubscribe", $$"""{"browser_id":"{{B}}"}""");
        Assert.Empty((await _h.Grains.GetGrain<IUiSubscriptionsGrain>(IUiSubscriptionsGrain.Key).Get()).Models);
    }

    [Fact]
    public async Task A_browser_whose_push_function_is_gone_is_dropped_from_the_fanout()
    {
        const string gone = "console-gone";
        const string goneChat = "console-gone-chat";
        var sid = Runs.NewSession();
        await Invoke("ui::subscribe", $$"""{"browser_id":"{{gone}}","session_id":null}""");
        await Invoke("ui::models::subscribe", $$"""{"browser_id":"{{gone}}"}""");
        await Invoke("ui::subscribe", $$"""{"browser_id":"{{goneChat}}","session_id":"{{sid}}"}""");
        await Invoke("ui::subscribe", $$"""{"browser_id":"{{B}}","session_id":null}""");
        var model = _h.Workspace.WriteScript("ui-gone", Rounds($"{Text("hello there")},{Stop("end")}"));

        await Invoke("run::start", $$"""{"session_id":"{{sid}}","provider":"scripted","model":"{{model}}","messages":[{"role":"user","content":[{"type":"text","text":"hi"}],"timestamp":1}]}""");
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);

        var grain = _h.Grains.GetGrain<IUiSubscriptionsGrain>(IUiSubscriptionsGrain.Key);
        await EngineStandIn.WaitUntilAsync(async () => !(await grain.Get()).Sessions.ContainsKey(gone), Patience, "the gone browser to be evicted");
        var now = await grain.Get();
        Assert.DoesNotContain(gone, now.Models);
        Assert.DoesNotContain(goneChat, now.Sessions.Keys);
        Assert.Contains(B, now.Sessions.Keys);
        Assert.Empty(now.SessionEventsMuted);
    }

    [Fact]
    public async Task A_traces_page_without_a_session_event_function_keeps_its_traces_pushes()
    {
        const string traces = "console-traces-only";
        var pushes = new ConcurrentQueue<string>();
        var page = await StartAsync(_h.Engine, BridgeFunctionCatalog.Of(Function($"ui::traces::changed::{traces}", _ => { pushes.Enqueue("traces"); return null; })), "traces-page");
        try
        {
            await Invoke("ui::subscribe", $$"""{"browser_id":"{{traces}}","session_id":null}""");

            await RunAsync("ui-traces-only");
            await EngineStandIn.WaitUntilAsync(() => !pushes.IsEmpty, Patience, "a traces push to the page");
            await RunAsync("ui-traces-only-2");

            var now = await _h.Grains.GetGrain<IUiSubscriptionsGrain>(IUiSubscriptionsGrain.Key).Get();
            Assert.Contains(traces, now.SessionEventsMuted);
            Assert.Contains(traces, now.AllSessionBrowsers);
            await Invoke("ui::subscribe", $$"""{"browser_id":"{{traces}}","session_id":null}""");
            Assert.DoesNotContain(traces, (await _h.Grains.GetGrain<IUiSubscriptionsGrain>(IUiSubscriptionsGrain.Key).Get()).SessionEventsMuted);
        }
        finally
        {
            await page.StopAsync();
        }
    }

    [Fact]
    public async Task Unsubscribe_stops_the_pushes_and_bad_input_names_browser_id()
    {
        var sid = Runs.NewSession();
        await Invoke("ui::subscribe", $$"""{"browser_id":"{{B}}","session_id":"{{sid}}"}""");
        var reply = await Invoke("ui::unsubscribe", $$"""{"browser_id":"{{B}}","session_id":"{{sid}}"}""");
        Assert.Equal(0, reply!["total_browsers"]!.GetValue<int>());

        var error = await Assert.ThrowsAsync<StandInInvocationException>(() => Invoke("ui::subscribe", """{"session_id":null}"""));
        Assert.Equal("invalid_payload", error.Code);
        Assert.Contains("browser_id", error.Detail);
        Assert.Empty((await _h.Grains.GetGrain<IUiSubscriptionsGrain>(IUiSubscriptionsGrain.Key).Get()).Sessions);
    }
}
