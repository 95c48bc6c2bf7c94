using System.Text.Json.Nodes;
using Harness.Bridge.Functions;
using Harness.Tests.Bridge.StandIn;
using static Harness.Tests.Bridge.TestClients;

namespace Harness.Tests.Bridge;

/// <summary>
/// Records the official Node client's frames and ours for the same actions (announce, publish a function with
/// schemas, bind a stream trigger, a synchronous and a fire-and-forget call) and compares their structure. Only the
/// order differs on purpose: we announce the worker first (iii HEAD order), 0.22.1 announces it last.
/// </summary>
public sealed class NodeFrameParityTests : IAsyncLifetime
{
    private EngineStandIn _engine = null!;

    public async ValueTask InitializeAsync() => _engine = await EngineStandIn.StartAsync();

    public async ValueTask DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Our_frames_have_the_same_shape_as_the_node_sdks_for_the_same_actions()
    {
        NodePeer.RequireAvailable();
        var node = await NodePeer.RunAsync("probe-frames.mjs", [_engine.Url.ToString()]);
        node.AssertSucceeded();
        var nodeWorker = _engine.Frames.First(f => f.Type == "registerfunction" && f.Frame["id"]!.GetValue<string>() == "probe::fn").WorkerId;

        var catalog = BridgeFunctionCatalog.Of(new BridgeFunctionDescriptor(
            "probe::fn", "probe function",
            JsonNode.Parse("""{"type":"object","properties":{"a":{"type":"string"}}}"""), JsonNode.Parse("""{"type":"object"}"""),
            (_, _) => Task.FromResult(Json("""{"ok":true}"""))));
        var ours = await StartAsync(_engine, catalog, "dotnet-probe");
        try
        {
            ours.RegisterTrigger("stream", "probe::fn", Json("""{"stream_name":"probe"}"""));
            await ours.InvokeAsync("probe::fn", Json("""{"a":"x"}"""), cancellationToken: TestContext.Current.CancellationToken);
            ours.InvokeVoid("probe::fn", Json("""{"a":"y"}"""));
            await EngineStandIn.WaitUntilAsync(
                () => _engine.Frames.Count(f => f.WorkerId == ours.WorkerId && f.FunctionId == "probe::fn" && f.Type is "invokefunction" or "invocationresult") == 4,
                Patience, "our two calls and their answers");
        }
        finally
        {
            await ours.StopAsync();
        }

        var theirs = Frames(nodeWorker);
        var mine = Frames(ours.WorkerId!);
        AssertSameKeys(theirs, mine, f => f.Type == "registerfunction");
        AssertSameKeys(theirs, mine, f => f.Type == "registertrigger");
        AssertSameKeys(theirs, mine, f => f.Type == "invokefunction" && f.FunctionId == "probe::fn" && f.Frame.ContainsKey("invocation_id"));
        AssertSameKeys(theirs, mine, f => f.Type == "invokefunction" && f.FunctionId == "probe::fn" && f.Frame.ContainsKey("action"));
        AssertSameKeys(theirs, mine, f => f.FunctionId == "engine::workers::register");
        // Each side answered the synchronous call and the engine-numbered void call.
        var answers = mine.Concat(theirs).Where(f => f.Type == "invocationresult" && f.FunctionId == "probe::fn").ToList();
        Assert.Equal(4, answers.Count);
        // traceparent/baggage are optional: an SDK adds them while a trace is recorded (here: whenever another test in
        // this process has an activity listener on).
        Assert.All(answers, f => Assert.Equal(["function_id", "invocation_id", "result", "type"],
            Keys(f.Frame).Except(["traceparent", "baggage"]).Order(StringComparer.Ordinal)));

        var theirAnnouncement = theirs.Single(f => f.FunctionId == "engine::workers::register").Frame["data"]!.AsObject();
        var myAnnouncement = mine.Single(f => f.FunctionId == "engine::workers::register").Frame["data"]!.AsObject();
        Assert.Subset(Keys(myAnnouncement), Keys(theirAnnouncement));
        Assert.Equal(Keys(theirAnnouncement["telemetry"]!.AsObject()), Keys(myAnnouncement["telemetry"]!.AsObject()));
        Assert.Equal(("node", "dotnet"), (theirAnnouncement["runtime"]!.GetValue<string>(), myAnnouncement["runtime"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(
            theirs.Single(f => f.Type == "registerfunction").Frame["request_format"],
            mine.Single(f => f.Type == "registerfunction").Frame["request_format"]));
    }

    private List<StandInFrame> Frames(string workerId) => [.. _engine.Frames.Where(f => f.WorkerId == workerId)];

    private static HashSet<string> Keys(JsonObject obj) => [.. obj.Select(p => p.Key)];

    private static void AssertSameKeys(List<StandInFrame> theirs, List<StandInFrame> mine, Func<StandInFrame, bool> which)
    {
        var theirFrame = Assert.Single(theirs, f => which(f)).Frame;
        var myFrame = Assert.Single(mine, f => which(f)).Frame;
        // The Node client also writes its internal "message_type" on some frames; the engine ignores it.
        var expected = Keys(theirFrame);
        expected.Remove("message_type");
        Assert.True(expected.SetEquals(Keys(myFrame)), $"node: {theirFrame.ToJsonString()}\n ours: {myFrame.ToJsonString()}");
    }
}
