using System.Text.Json.Nodes;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;

namespace Harness.Tests.Bridge;

/// <summary>One bridge silo and a stand-in engine for <see cref="SessionFunctionsPublishedTests"/>.</summary>
public sealed class SessionBridgeFixture : IAsyncLifetime
{
    public BridgeCluster H { get; private set; } = null!;

    public async ValueTask InitializeAsync() => H = await BridgeCluster.StartAsync();

    public async ValueTask DisposeAsync() => await H.DisposeAsync();
}

/// <summary>The session worker and prune_tool_outputs as the engine sees them: registered with schemas, called through the bus.</summary>
public sealed class SessionFunctionsPublishedTests(SessionBridgeFixture fixture) : IClassFixture<SessionBridgeFixture>
{
    private BridgeCluster H => fixture.H;

    /// <summary>Every function and the fields its request schema must list as required (what validation enforces).</summary>
    public static readonly TheoryData<string, string[]> Required = new()
    {
        { "session-tree::create", [] },
        { "session-tree::ensure", ["session_id"] },
        { "session-tree::append", ["session_id", "message"] },
        { "session-tree::append_batch", ["session_id", "messages"] },
        { "session-tree::messages", ["session_id"] },
        { "session-tree::list", [] },
        { "session-tree::tree", ["session_id"] },
        { "session-tree::export_html", ["session_id"] },
        { "session-tree::fork", ["source_session_id", "from_entry_id"] },
        { "session-tree::clone", ["source_session_id"] },
        { "session-tree::compact", ["session_id", "summary"] },
        { "session-tree::compactions", ["session_id"] },
        { "session-tree::append_synthetic", ["session_id", "text"] },
        { "session-tree::update_part", ["session_id", "entry_id"] },
        { "session-tree::update_parts", ["session_id", "items"] },
        { "session-tree::reconcile", ["session_id", "state_snapshot"] },
        { "session-tree::entries", ["session_id"] },
        { "session-inbox::push", ["session_id", "name"] },
        { "session-inbox::peek", ["session_id", "name"] },
        { "session-inbox::drain", ["session_id", "name"] },
        { "context-compaction::prune_tool_outputs", ["session_id"] },
    };

    private Task<JsonNode?> Invoke(string functionId, string payload) => H.Engine.InvokeAsync(functionId, JsonNode.Parse(payload), TimeSpan.FromSeconds(15));

    [Theory]
    [MemberData(nameof(Required))]
    public void Each_function_is_published_with_a_description_and_a_request_schema_listing_its_required_fields(string functionId, string[] required)
    {
        var registration = H.Engine.FunctionRegistration(functionId);

        Assert.True(registration is not null, $"{functionId} is not registered");
        Assert.False(string.IsNullOrWhiteSpace(registration["description"]?.GetValue<string>()));
        var request = Assert.IsType<JsonObject>(registration["request_format"]);
        Assert.IsType<JsonObject>(registration["response_format"]);
        Assert.Equal(required.Order(), (request["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? []).Order());
        Assert.DoesNotContain("\"$ref\"", registration.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Update_parts_items_require_an_entry_id_list_order_is_an_enum_and_push_needs_message_or_item()
    {
        var parts = H.Engine.FunctionRegistration("session-tree::update_parts")!["request_format"]!;
        var list = H.Engine.FunctionRegistration("session-tree::list")!["request_format"]!;
        var push = H.Engine.FunctionRegistration("session-inbox::push")!["request_format"]!;

        Assert.Equal(["message", "item"], push["anyOf"]!.AsArray().Select(a => a!["required"]![0]!.GetValue<string>()));
        Assert.Equal(["entry_id"], parts["properties"]!["items"]!["items"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(["asc", "desc", null], list["properties"]!["order"]!["enum"]!.AsArray().Select(r => r?.GetValue<string>()));
    }

    [Fact]
    public async Task A_chain_round_trips_through_the_engine_as_a_nested_tree_and_one_too_deep_for_a_frame_says_so()
    {
        // 60 entries nest 123 levels: inside the 127 serde_json (the engine) reads. 70 would need 143.
        var shallow = await Chain(60);
        var deep = await Chain(70);

        var node = await Invoke("session-tree::tree", $$"""{"session_id":"{{shallow}}"}""");
        var depth = 0;
        for (; node is not null; node = node["children"]!.AsArray().SingleOrDefault())
        {
            Assert.Equal($"m{depth}", node["entry"]!["message"]!["content"]![0]!["text"]!.GetValue<string>());
            depth++;
        }
        var tooDeep = await Assert.ThrowsAsync<StandInInvocationException>(() => Invoke("session-tree::tree", $$"""{"session_id":"{{deep}}"}"""));

        Assert.Equal(60, depth);
        Assert.Equal("tree_too_deep", tooDeep.Code);
        Assert.Contains("session-tree::entries", tooDeep.Detail, StringComparison.Ordinal);
        Assert.Equal(70, (await Invoke("session-tree::entries", $$"""{"session_id":"{{deep}}"}"""))!["entries"]!.AsArray().Count);
    }

    private async Task<string> Chain(int length)
    {
        var sid = (await Invoke("session-tree::create", """{"display_name":"chain"}"""))!["session_id"]!.GetValue<string>();
        var messages = string.Join(",", Enumerable.Range(0, length).Select(i => $$"""{"role":"user","content":[{"type":"text","text":"m{{i}}"}],"timestamp":{{i}}}"""));
        await Invoke("session-tree::append_batch", $$"""{"session_id":"{{sid}}","messages":[{{messages}}]}""");
        return sid;
    }

    [Fact]
    public async Task Session_errors_reach_the_caller_with_their_kind_as_the_code()
    {
        var missing = await Assert.ThrowsAsync<StandInInvocationException>(() => Invoke("session-tree::clone", """{"source_session_id":"nobody-made-this"}"""));
        var empty = (await Invoke("session-tree::create", "{}"))!["session_id"]!.GetValue<string>();
        var noTree = await Assert.ThrowsAsync<StandInInvocationException>(() => Invoke("session-tree::tree", $$"""{"session_id":"{{empty}}"}"""));
        var invalid = await Assert.ThrowsAsync<StandInInvocationException>(() => Invoke("session-tree::compact", $$"""{"session_id":"{{empty}}"}"""));

        Assert.Equal("not_found", missing.Code);
        Assert.Equal("entry_not_found", noTree.Code);
        Assert.Equal("invalid_payload", invalid.Code);
        Assert.StartsWith("summary: ", invalid.Detail, StringComparison.Ordinal);
    }
}
