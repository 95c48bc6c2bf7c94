using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Bridge.Hosting;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Harness.Tests.Bridge.TestClients;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>
/// The v0.5-era console chat (C2, console-and-data §1.2) played by a Node peer with the real <c>iii-sdk</c>
/// (<c>tests/node/console-c2.mjs</c>) against a bridge silo through the engine stand-in: model picker with refresh and
/// live updates, mode picker, a chat with an approved and a denied call, /compact, stop, a refused resend, and the
/// traces page across a reconnect. The assertions are on what the console read and rendered.
/// </summary>
public sealed class NodeConsoleC2Tests : IAsyncLifetime
{
    private BridgeCluster _h = null!;
    private IiiWorkerClient _tools = null!;
    private readonly List<string> _toolCalls = [];

    public async ValueTask InitializeAsync()
    {
        _h = await BridgeCluster.StartAsync(services: s => s.AddBridgeFunctions<ModelBridgeFunctions>());
        _tools = await StartAsync(_h.Engine, BridgeFunctionCatalog.Of(
            Function("tools::lookup", i => { lock (_toolCalls) { _toolCalls.Add("tools::lookup"); } return new { found = "the answer" }; }),
            Function("tools::delete", i => { lock (_toolCalls) { _toolCalls.Add("tools::delete"); } return new { deleted = true }; })), "tools");
    }

    public async ValueTask DisposeAsync()
    {
        await _tools.StopAsync();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task The_C2_console_runs_a_full_chat_against_the_bridge()
    {
        NodePeer.RequireAvailable();
        var chatModel = _h.Workspace.WriteScript("c2-chat", $$"""
            {"summary":"SUMMARY: console chat","context_window":200000,{{Rounds(
                $"{Text("Let me look that up.")},{Call("c-look", "tools::lookup", """{"q":"x"}""")},{Stop("function_call")}",
                $"{Text("Now deleting it.")},{Call("c-del", "tools::delete")},{Stop("function_call")}",
                $"{Text("All done here.")},{Stop("end")}")[1..]}}
            """);
        var hangModel = _h.Workspace.WriteScript("c2-hang", Rounds(Hang));
        var config = new JsonObject
        {
            ["chat_session"] = $"console-{Guid.NewGuid():N}",
            ["stop_session"] = $"console-{Guid.NewGuid():N}",
            ["chat_model"] = chatModel,
            ["hang_model"] = hangModel,
            ["provider"] = "scripted",
            ["approve"] = "tools::lookup",
            ["deny"] = "tools::delete",
            ["context_window"] = 200000,
        };
        var sid = config["chat_session"]!.GetValue<string>();

        var run = await NodePeer.RunAsync("console-c2.mjs", [_h.Engine.Url.ToString()], config.ToJsonString(), timeoutSeconds: 150);

        run.AssertSucceeded();
        JsonObject Line(string name) => run.Lines.Single(l => l["event"]!.GetValue<string>() == name);
        JsonObject Send(int index) => run.Lines.Single(l => l["event"]!.GetValue<string>() == "send" && l["index"]!.GetValue<int>() == index)["ui"]!.AsObject();
        static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>())];

        // Model picker: the providers, a refresh of every listing provider, the scripted models as picker rows, and the push.
        var picker = Line("picker");
        var scripted = picker["providers"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "scripted")!;
        Assert.True(scripted["supports_model_listing"]!.GetValue<bool>());
        Assert.Contains("scripted", Strings(picker["refreshed"]));
        Assert.Contains("anthropic", Strings(picker["refreshed"]));
        Assert.Equal(0, picker["rows_before"]!.GetValue<int>());
        var row = picker["rows"]!.AsArray().Single(r => r!["key"]!.GetValue<string>() == $"scripted::{chatModel}")!;
        Assert.Equal(200000, row["context_window"]!.GetValue<long>());
        Assert.True(picker["models_changed"]!.GetValue<int>() >= 1);
        Assert.True(Line("traces_subscribed")["reply"]!["ok"]!.GetValue<bool>());

        // Mode picker: manual, one always-allow added then removed.
        var modes = Line("modes")["read"]!.AsArray();
        Assert.Equal("manual", modes[1]!["mode"]!.GetValue<string>());
        Assert.Contains(modes[3]!["always_allow"]!.AsArray(), f => (f is JsonValue v ? v.GetValue<string>() : f!["function_id"]!.GetValue<string>()) == "tools::harmless");
        Assert.Empty(modes[4]!["always_allow"]!.AsArray());

        // First send: streamed tokens, an approval card per call, the approved call ran, the denied one did not.
        var first = Send(0);
        Assert.True(first["started"]!.GetValue<bool>());
        Assert.Null(first["recovered"]);
        Assert.Equal("Let me look that up.Now deleting it.All done here.", first["tokens"]!.GetValue<string>());
        Assert.Equal(["tools::lookup", "tools::delete"], first["cards_added"]!.AsArray().Select(c => c!["function_id"]!.GetValue<string>()));
        Assert.Equal("x", first["cards_added"]![0]!["args"]!["q"]!.GetValue<string>());
        Assert.Equal(["c-look", "c-del"], Strings(first["cards_cleared"]));
        Assert.Equal(["tools::lookup"], _toolCalls);
        var ends = first["fcall_ends"]!.AsArray();
        Assert.False(ends.Single(e => e!["function_call_id"]!.GetValue<string>() == "c-look")!["is_error"]!.GetValue<bool>());
        var denied = ends.Single(e => e!["function_call_id"]!.GetValue<string>() == "c-del")!;
        Assert.True(denied["is_error"]!.GetValue<bool>());
        Assert.Equal("function_error", denied["output"]!["error"]!["kind"]!.GetValue<string>());
        Assert.Empty(first["notices"]!.AsArray());

        // A reload after the first turn recovers it as finished; later sends recover a state (the finished turn's or,
        // since the console does not await the read, the next turn's) and stream the answer.
        Assert.Equal("stopped", Line("reload")["state"]!.GetValue<string>());
        Assert.Equal(0, Line("reload")["awaiting"]!.GetValue<int>());
        Assert.Contains(Send(1)["recovered"]!.GetValue<string>(), (string[])["stopped", "provisioning", "assistant_streaming"]);
        Assert.Equal("All done here.", Send(2)["tokens"]!.GetValue<string>());

        // /compact: what the console shows, then the next turn is sent the compacted window.
        var compact = Line("compact");
        Assert.Equal("ok", compact["status"]!.GetValue<string>());
        Assert.Equal("SUMMARY: console chat", compact["summary_text"]!.GetValue<string>());
        Assert.False(compact["auto_continued"]!.GetValue<bool>());
        Assert.True(compact["tokens_before"]!.GetValue<long>() > 0);
        Assert.StartsWith("compacted ", compact["shown"]!.GetValue<string>());
        Assert.Equal("All done here.", Send(3)["tokens"]!.GetValue<string>());
        Assert.Contains(_h.Engine.StreamItems("agent::events", sid), e => e?["type"]?.GetValue<string>() == "compaction_done");
        var compactions = await _h.Engine.InvokeAsync("session-tree::compactions", new JsonObject { ["session_id"] = sid });
        Assert.Equal("SUMMARY: console chat", compactions!["entries"]!.AsArray().Last()!["summary"]!.GetValue<string>());

        // Stop: the resend while running is refused with the console's notice, run::abort ends the turn as aborted.
        var stop = Line("stop");
        Assert.False(stop["busy"]!["started"]!.GetValue<bool>());
        Assert.StartsWith("A turn is still running in this session", stop["busy"]!["notice"]!.GetValue<string>());
        Assert.True(stop["aborted"]!.GetValue<bool>());
        Assert.Contains(stop["ui"]!["notices"]!.AsArray(), n => n!.GetValue<string>().StartsWith("stop-reason:aborted", StringComparison.Ordinal));

        // Traces page: a push after the turns, and again after the reconnect and re-subscribe.
        var traces = Line("traces");
        Assert.True(traces["before_reconnect"]!.GetValue<int>() >= 1);
        Assert.True(traces["after_reconnect"]!.GetValue<int>() > traces["before_reconnect"]!.GetValue<int>());
        Assert.True(traces["resubscribed"]!["ok"]!.GetValue<bool>());
        Assert.Equal("All done here.", traces["last_tokens"]!.GetValue<string>());
        Assert.Single(run.Lines, l => l["event"]!.GetValue<string>() == "done");
    }
}
