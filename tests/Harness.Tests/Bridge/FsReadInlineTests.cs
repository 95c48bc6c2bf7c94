using System.Text.Json.Nodes;
using Harness.Tests.Bridge.StandIn;

namespace Harness.Tests.Bridge;

/// <summary><c>harness::fs::read_inline</c> over a Node shell worker's <c>shell::fs::read</c> and an engine channel.</summary>
public sealed class FsReadInlineTests(BusWorkersFixture fixture) : IClassFixture<BusWorkersFixture>
{
    private BridgeCluster H => fixture.H;

    [Fact]
    public async Task A_file_read_through_the_shell_worker_comes_back_inline_bounded_and_binary_safe()
    {
        NodePeer.RequireAvailable();
        var run = await NodePeer.RunAsync("shell-fs-worker.mjs", [H.Engine.Url.ToString()],
            """[{"path":"text"},{"body":{"path":"text","max_bytes":7}},{"path":"binary"},{"path":"big"},{"path":"missing"}]""");

        run.AssertSucceeded();
        var replies = run.Lines.Where(l => l["event"] is null).ToList();
        Assert.Equal(5, replies.Count);
        var text = "héllo wörld — ünïcode\n";
        var full = System.Text.Encoding.UTF8.GetByteCount(text) * 3;
        AssertRead(replies[0], string.Concat(Enumerable.Repeat(text, 3)), full, truncated: false, full);
        // 7 bytes end inside "ö" (2 bytes): the split character is dropped from the text, not from bytes_read.
        AssertRead(replies[1], "héllo ", full, truncated: true, 7);
        AssertRead(replies[2], "<binary 6 bytes>", 6, truncated: false, 6);
        var big = replies[3]["result"]!;
        Assert.Equal(262144, big["content"]![0]!["length"]!.GetValue<int>());
        Assert.Equal((300000L, true, 262144L), (big["details"]!["size"]!.GetValue<long>(), big["details"]!["truncated"]!.GetValue<bool>(), big["details"]!["bytes_read"]!.GetValue<long>()));
        Assert.False(replies[4]["ok"]!.GetValue<bool>());
        Assert.Contains("ENOENT", replies[4]["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(5, run.Lines.Count(l => l["event"]?.GetValue<string>() == "read"));
    }

    [Theory]
    [InlineData("""{}""", "path")]
    [InlineData("""{"path":"x","max_bytes":0}""", "max_bytes")]
    [InlineData("""{"path":"x","max_bytes":"many"}""", "max_bytes")]
    public async Task Bad_read_inline_payloads_are_invalid_payload_naming_the_field(string payload, string field)
    {
        var error = await Assert.ThrowsAsync<StandInInvocationException>(() => H.Engine.InvokeAsync("harness::fs::read_inline", JsonNode.Parse(payload)));
        Assert.Equal("invalid_payload", error.Code);
        Assert.StartsWith($"{field}: ", error.Detail, StringComparison.Ordinal);
    }

    private static void AssertRead(JsonObject reply, string text, long size, bool truncated, long bytesRead)
    {
        Assert.True(reply["ok"]!.GetValue<bool>(), reply.ToJsonString());
        var result = reply["result"]!;
        Assert.Equal(("text", text), (result["content"]![0]!["type"]!.GetValue<string>(), result["content"]![0]!["text"]!.GetValue<string>()));
        Assert.Equal((size, truncated, bytesRead), (result["details"]!["size"]!.GetValue<long>(), result["details"]!["truncated"]!.GetValue<bool>(), result["details"]!["bytes_read"]!.GetValue<long>()));
        Assert.False(result["terminate"]!.GetValue<bool>());
    }
}
