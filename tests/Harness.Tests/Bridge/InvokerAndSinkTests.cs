using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Bridge.Events;
using Harness.Bridge.Functions;
using Harness.Bridge.Invoker;
using Harness.Events;
using Harness.Functions;
using Harness.Tests.Bridge.StandIn;
using Harness.Turns;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Harness.Tests.Bridge.TestClients;

namespace Harness.Tests.Bridge;

/// <summary>The grain-facing adapters: tool calls through the bus and agent events into the engine's streams.</summary>
public sealed class InvokerAndSinkTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private EngineStandIn _engine = null!;
    private IiiWorkerClient _bridge = null!;
    private IiiWorkerClient _peer = null!;
    private readonly List<JsonObject> _received = [];

    public async ValueTask InitializeAsync()
    {
        _engine = await EngineStandIn.StartAsync();
        _peer = await StartAsync(_engine, BridgeFunctionCatalog.Of(
            Function("peer::echo", i => new { got = i.Data }),
            Function("peer::fails", _ => throw new BridgeFunctionException("E_PEER", "peer says no")),
            Function("peer::on_event", i =>
            {
                lock (_received)
                {
                    _received.Add(JsonNode.Parse(i.Data.GetRawText())!.AsObject());
                }
                return null;
            })), "peer");
        _bridge = await StartAsync(_engine, BridgeFunctionCatalog.Of(), "bridge");
    }

    public async ValueTask DisposeAsync()
    {
        await _bridge.StopAsync();
        await _peer.StopAsync();
        await _engine.DisposeAsync();
    }

    private IiiFunctionInvoker Invoker(LocalFunctionRegistry? local = null) =>
        new(local ?? new LocalFunctionRegistry(), _bridge, Options.Create(BridgeOptions(_engine.Url, "bridge")));

    [Fact]
    public async Task In_process_functions_run_locally_without_touching_the_bus()
    {
        var local = new LocalFunctionRegistry();
        local.Register("peer::echo", (_, _) => Task.FromResult(Json("""{"local":true}""")));
        var result = await Invoker(local).InvokeAsync("peer::echo", Json("{}"), Ct);
        Assert.True(result.GetProperty("local").GetBoolean());
        Assert.DoesNotContain(_engine.Frames, f => f.FunctionId == "peer::echo");
    }

    [Fact]
    public async Task Other_functions_are_called_on_the_bus()
    {
        var result = await Invoker().InvokeAsync("peer::echo", Json("""{"x":1}"""), Ct);
        Assert.Equal(1, result.GetProperty("got").GetProperty("x").GetInt32());
    }

    [Fact]
    public async Task An_unknown_function_on_the_bus_is_function_not_found()
    {
        var missing = await Assert.ThrowsAsync<FunctionNotFoundException>(() => Invoker().InvokeAsync("nobody::home", Json("{}"), Ct));
        Assert.Equal("nobody::home", missing.FunctionId);
    }

    [Fact]
    public async Task A_failing_target_is_a_handler_error_with_its_code()
    {
        var failed = await Assert.ThrowsAsync<FunctionInvocationException>(() => Invoker().InvokeAsync("peer::fails", Json("{}"), Ct));
        Assert.Equal(("E_PEER", "peer says no"), (failed.Code, failed.Detail));
    }

    [Fact]
    public async Task Agent_events_reach_stream_subscribers_in_order_and_turn_end_also_goes_to_its_own_stream()
    {
        _peer.RegisterTrigger("stream", "peer::on_event", Json("""{"stream_name":"agent::events","group_id":"s-order"}"""));
        await EngineStandIn.WaitUntilAsync(() => _engine.TriggerBindings.Count == 1, Patience, "the stream trigger");
        using var sink = new IiiAgentEventSink(_bridge, Options.Create(BridgeOptions(_engine.Url, "bridge")), NullLogger<IiiAgentEventSink>.Instance);
        string[] types = ["turn_state_changed", "message_update", "message_update", "message_complete", "turn_end", "agent_end"];

        for (var seq = 0; seq < types.Length; seq++)
        {
            await sink.PublishAsync(new AgentEventFrame { SessionId = "s-order", Seq = seq + 1, Event = new AgentEvent { Type = types[seq] } }, Ct);
        }
        await sink.FlushAsync(Ct).WaitAsync(Patience, Ct);

        await EngineStandIn.WaitUntilAsync(() => _received.Count == types.Length, Patience, "every frame at the subscriber");
        Assert.Equal(types, _received.Select(f => f["event"]!["data"]!["type"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(1, types.Length).Select(i => $"s-order-{i:D8}"), _received.Select(f => f["id"]!.GetValue<string>()));
        Assert.All(_received, f => Assert.Equal(("agent::events", "s-order"), (f["streamName"]!.GetValue<string>(), f["groupId"]!.GetValue<string>())));
        var turnEnd = Assert.Single(_engine.StreamItems("agent::turn_end", "s-order"));
        Assert.Equal("turn_end", turnEnd!["type"]!.GetValue<string>());
        Assert.Equal(types.Length, _engine.StreamItems("agent::events", "s-order").Count);
    }

    [Fact]
    public async Task Publishing_never_blocks_and_keeps_the_frames_while_the_engine_is_unreachable()
    {
        var o = BridgeOptions(new Uri("ws://127.0.0.1:9/"), "offline");
        o.EventPublishTimeout = TimeSpan.FromMilliseconds(100);
        o.EventQueueCapacity = 2;
        var offline = new IiiWorkerClient(Options.Create(o), BridgeFunctionCatalog.Of(), NullLogger<IiiWorkerClient>.Instance);
        var sink = new IiiAgentEventSink(offline, Options.Create(o), NullLogger<IiiAgentEventSink>.Instance);
        for (var seq = 1; seq <= 3; seq++)
        {
            var publish = sink.PublishAsync(new AgentEventFrame { SessionId = "s-off", Seq = seq, Event = new AgentEvent { Type = AgentEventTypes.TurnEnd } }, Ct);
            Assert.True(publish.IsCompletedSuccessfully);
        }

        await EngineStandIn.WaitUntilAsync(() => sink.Retries >= 2, Patience, "the first write to be retried");
        var flush = sink.FlushAsync(Ct);
        Assert.False(flush.IsCompleted);
        Assert.Equal((2, 1L), (sink.Backlog, sink.DroppedFrames));

        sink.Dispose();
        await flush.WaitAsync(Patience, Ct);
        Assert.Equal(0, sink.Backlog);
        offline.Dispose();
    }
}
