using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using static Harness.Tests.Bridge.TestClients;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>A bridge silo whose hook check is not cached, so each test sees the subscribers that exist right then.</summary>
public sealed class HookFanoutFixture : IAsyncLifetime
{
    public BridgeCluster H { get; private set; } = null!;

    public async ValueTask InitializeAsync() => H = await BridgeCluster.StartAsync(
        permissions: BusWorkersFixture.Permissions,
        settings: new Dictionary<string, string?> { ["Harness:HookFanout:SubscriberCacheTtl"] = "00:00:00" });

    public async ValueTask DisposeAsync() => await H.DisposeAsync();
}

/// <summary>
/// <c>hook-fanout::publish_collect</c> (harness-core §7) and the v0.5 after-function-call hook in the tool batch
/// (console-and-data §4), against durable subscribers on the stand-in engine.
/// </summary>
public sealed class HookFanoutTests(HookFanoutFixture fixture) : IClassFixture<HookFanoutFixture>
{
    private BridgeCluster H => fixture.H;

    /// <summary>The messages of the active path (<c>session-tree::messages</c> answers <c>{messages:[{entry_id, message}]}</c>).</summary>
    private async Task<List<JsonNode?>> Transcript(string sid) =>
        [.. (await H.Engine.InvokeAsync("session-tree::messages", new JsonObject { ["session_id"] = sid }))!["messages"]!.AsArray().Select(e => e!["message"])];

    [Fact]
    public async Task A_node_hook_subscriber_rewrites_a_function_result_before_it_reaches_the_transcript()
    {
        NodePeer.RequireAvailable();
        var model = H.Workspace.WriteScript("hook-rewrite", Rounds(Call("c1", "node::hook_tool::echo", """{"x":1}"""), Text("thanks")));
        var sid = Runs.NewSession();

        var run = await NodePeer.RunAsync("hook-subscriber.mjs", [H.Engine.Url.ToString(), sid, model]);

        run.AssertSucceeded();
        var hook = Assert.Single(run.Lines, l => l["event"]!.GetValue<string>() == "hook");
        Assert.Equal(("node::hook_tool::echo", "original"), (hook["function_id"]!.GetValue<string>(), hook["text"]!.GetValue<string>()));
        Assert.Equal(TurnStates.Stopped, run.Lines.Single(l => l["event"]!.GetValue<string>() == "done")["state"]!["state"]!.GetValue<string>());
        var result = (await Transcript(sid)).Single(m => m!["role"]!.GetValue<string>() == "function_result")!;
        Assert.Equal("rewritten: original", result["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(("tool", true), (result["details"]!["source"]!.GetValue<string>(), result["details"]!["rewritten"]!.GetValue<bool>()));
        var end = H.Engine.StreamItems("agent::events", sid).Single(e => e!["type"]!.GetValue<string>() == "function_execution_end")!;
        Assert.Equal("rewritten: original", end["result"]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_subscriber_the_hook_publishes_nothing_and_the_result_is_kept()
    {
        var tool = await StartAsync(H.Engine, BridgeFunctionCatalog.Of(
            Function("test::hookless::echo", _ => new { content = new[] { new { type = "text", text = "as returned" } } })), "hookless-tool");
        try
        {
            var model = H.Workspace.WriteScript("hook-none", Rounds(Call("c1", "test::hookless::echo"), Text("ok")));
            var sid = Runs.NewSession();
            var publishedBefore = H.Engine.PublishedCount("agent::after_function_call");
            var checksBefore = H.Engine.Frames.Count(f => f.FunctionId == "engine::registered-triggers::list");

            await H.Turn(sid).Start(Runs.Start(sid, model));
            Assert.Equal(TurnStates.Stopped, (await H.WaitForTerminalAsync(sid)).State);

            var result = (await Transcript(sid)).Single(m => m!["role"]!.GetValue<string>() == "function_result")!;
            Assert.Equal("as returned", result["content"]![0]!["text"]!.GetValue<string>());
            Assert.True(H.Engine.Frames.Count(f => f.FunctionId == "engine::registered-triggers::list") > checksBefore);
            Assert.Equal(publishedBefore, H.Engine.PublishedCount("agent::after_function_call"));
        }
        finally
        {
            await tool.StopAsync();
        }
    }

    /// <summary>A C# subscriber that answers every message on <paramref name="topic"/> with each of <paramref name="replies"/>.</summary>
    private async Task<IiiWorkerClient> Subscriber(string topic, string name, params string[] replies)
    {
        IiiWorkerClient? self = null;
        var client = await StartAsync(H.Engine, BridgeFunctionCatalog.Of(AsyncFunction($"test::{name}::on_message", async (invocation, ct) =>
        {
            var eventId = invocation.Data.GetProperty("event_id").GetString();
            var stream = invocation.Data.GetProperty("reply_stream").GetString();
            for (var i = 0; i < replies.Length; i++)
            {
                await self!.InvokeAsync("stream::set", Json($$"""{"stream_name":"{{stream}}","group_id":"{{eventId}}","item_id":"r{{i}}","data":{{replies[i]}}}"""), cancellationToken: ct);
            }
            return null;
        })), name);
        self = client;
        client.RegisterTrigger("durable:subscriber", $"test::{name}::on_message", Json($$"""{"topic":"{{topic}}"}"""));
        await EngineStandIn.WaitUntilAsync(() => H.Engine.TriggerBindings.Any(b => b["function_id"]!.GetValue<string>() == $"test::{name}::on_message"), Patience, "the subscriber trigger");
        return client;
    }

    [Theory]
    [InlineData("first_block_wins", """{"block":false}""", """{"block":true,"reason":"no","denial":{"k":1}}""", """{"block":true,"reason":"no","denial":{"k":1}}""")]
    [InlineData("field_merge", """{"content":[{"type":"text","text":"a"}],"details":{"x":1}}""", """{"details":{"y":2},"terminate":true}""",
        """{"orig":true,"content":[{"type":"text","text":"a"}],"details":{"x":1,"y":2},"terminate":true}""")]
    [InlineData("pipeline_last_wins", """{"messages":[1]}""", """{"note":"not a pipeline"}""", """[1]""")]
    public async Task Publish_collect_merges_the_replies_of_the_topics_subscribers(string rule, string first, string second, string merged)
    {
        var topic = $"test::topic::{Guid.NewGuid():N}";
        var subscriber = await Subscriber(topic, $"sub{Guid.NewGuid():N}"[..12], first, second);
        try
        {
            var reply = await H.Engine.InvokeAsync("hook-fanout::publish_collect", JsonNode.Parse(
                $$"""{"topic":"{{topic}}","payload":{"orig":true},"merge_rule":"{{rule}}","timeout_ms":10000,"expected_replies":2}"""));

            Assert.Equal("expected_replies", reply!["exit_reason"]!.GetValue<string>());
            Assert.Equal(2, reply["replies"]!.AsArray().Count);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(merged), reply["merged"]), reply["merged"]!.ToJsonString());
            Assert.True(reply["publish"]!["ok"]!.GetValue<bool>());
            Assert.Equal(1, H.Engine.PublishedCount(topic));
        }
        finally
        {
            await subscriber.StopAsync();
        }
    }

    [Fact]
    public async Task Publish_collect_without_subscribers_ends_at_the_deadline_with_no_replies_and_the_payload_merged()
    {
        var reply = await H.Engine.InvokeAsync("hook-fanout::publish_collect", JsonNode.Parse(
            """{"topic":"test::nobody::listens","payload":{"keep":1},"merge_rule":"field_merge","timeout_ms":60}"""));

        Assert.Equal("deadline_no_replies", reply!["exit_reason"]!.GetValue<string>());
        Assert.Empty(reply["replies"]!.AsArray());
        Assert.Equal(1, reply["merged"]!["keep"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(reply["event_id"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"merge_rule":"field_merge"}""", "topic")]
    [InlineData("""{"topic":"t"}""", "merge_rule")]
    [InlineData("""{"topic":"t","merge_rule":"collect"}""", "merge_rule")]
    [InlineData("""{"topic":"t","merge_rule":"field_merge","expected_replies":0}""", "expected_replies")]
    [InlineData("""{"topic":"t","merge_rule":"field_merge","timeout_ms":-1}""", "timeout_ms")]
    public async Task Bad_publish_collect_payloads_are_invalid_payload_naming_the_field(string payload, string field)
    {
        var error = await Assert.ThrowsAsync<StandInInvocationException>(() => H.Engine.InvokeAsync("hook-fanout::publish_collect", JsonNode.Parse(payload)));
        Assert.Equal("invalid_payload", error.Code);
        Assert.StartsWith($"{field}: ", error.Detail, StringComparison.Ordinal);
    }
}
