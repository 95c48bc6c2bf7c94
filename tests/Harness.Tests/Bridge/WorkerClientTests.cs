using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Bridge.Hosting;
using Harness.Tests.Bridge.StandIn;
using Xunit;
using static Harness.Tests.Bridge.TestClients;

namespace Harness.Tests.Bridge;

/// <summary>The worker client against the in-process engine stand-in: registration, answering, calling, reconnecting.</summary>
public sealed class WorkerClientTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private EngineStandIn _engine = null!;
    private readonly List<IiiWorkerClient> _clients = [];

    public async ValueTask InitializeAsync() => _engine = await EngineStandIn.StartAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.StopAsync();
        }
        await _engine.DisposeAsync();
    }

    private async Task<IiiWorkerClient> Start(BridgeFunctionCatalog catalog, string name = "bridge", Action<IiiBridgeOptions>? configure = null)
    {
        var client = await StartAsync(_engine, catalog, name, configure);
        _clients.Add(client);
        return client;
    }

    private static BridgeFunctionCatalog Echo() => BridgeFunctionCatalog.Of(
        Function("test::echo", i => new { data = i.Data, metadata = i.Metadata, caller = i.CallerWorkerId }));

    [Fact]
    public async Task Connecting_announces_the_worker_then_publishes_every_function_with_its_contract()
    {
        var schema = new JsonObject { ["type"] = "object", ["required"] = new JsonArray("x") };
        var catalog = BridgeFunctionCatalog.Of(
            new BridgeFunctionDescriptor("test::a", "first", schema, new JsonObject { ["type"] = "string" }, (_, _) => Task.FromResult(Json("1"))),
            Function("test::b", _ => 2));
        var client = await Start(catalog, "announcer");

        var frames = _engine.Frames.Where(f => f.WorkerId == client.WorkerId).ToList();
        Assert.Equal("invokefunction", frames[0].Type);
        var register = frames[0].Frame;
        Assert.Equal("engine::workers::register", register["function_id"]!.GetValue<string>());
        Assert.Equal("void", register["action"]!["type"]!.GetValue<string>());
        Assert.False(register.ContainsKey("invocation_id"));
        Assert.Equal("dotnet", register["data"]!["runtime"]!.GetValue<string>());
        Assert.Equal("announcer", register["data"]!["name"]!.GetValue<string>());
        Assert.Equal(Environment.ProcessId, register["data"]!["pid"]!.GetValue<int>());
        Assert.Equal(["test::a", "test::b"], frames.Skip(1).Where(f => f.Type == "registerfunction").Select(f => f.Frame["id"]!.GetValue<string>()));

        var info = await _engine.InvokeAsync("engine::functions::info", new JsonObject { ["function_id"] = "test::a" });
        Assert.Equal("first", info!["description"]!.GetValue<string>());
        Assert.Equal("announcer", info["worker_name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(schema, info["request_schema"]));
    }

    [Fact]
    public async Task An_engine_call_is_answered_with_the_handler_result()
    {
        await Start(Echo());
        var result = await _engine.InvokeAsync("test::echo", new JsonObject { ["a"] = 2 }, metadata: new JsonObject { ["route"] = "r1" });
        Assert.Equal(2, result!["data"]!["a"]!.GetValue<int>());
        Assert.Equal("r1", result["metadata"]!["route"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_call_from_another_worker_carries_the_callers_id_and_comes_back_to_it()
    {
        await Start(Echo(), "server");
        var caller = await Start(BridgeFunctionCatalog.Of(), "caller");
        var result = await caller.InvokeAsync("test::echo", Json("""{"q":"x"}"""), cancellationToken: Ct);
        Assert.Equal("x", result.GetProperty("data").GetProperty("q").GetString());
        Assert.Equal(caller.WorkerId, result.GetProperty("caller").GetString());
    }

    [Fact]
    public async Task A_call_for_a_function_this_worker_does_not_have_is_answered_function_not_found()
    {
        var client = await Start(Echo());
        var id = Guid.NewGuid();
        await _engine.SendRawAsync(client.WorkerId!, $$$"""{"type":"invokefunction","invocation_id":"{{{id}}}","function_id":"nope::missing","data":{}}""");
        var reply = await WaitForResultAsync(client.WorkerId!, id);
        Assert.Equal("function_not_found", reply["error"]!["code"]!.GetValue<string>());
        Assert.Contains("nope::missing", reply["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_failures_are_answered_with_an_error_body_carrying_the_code()
    {
        await Start(BridgeFunctionCatalog.Of(
            Function("test::boom", _ => throw new InvalidOperationException("kaput")),
            Function("test::coded", _ => throw new BridgeFunctionException("custom_code", "custom message")),
            BridgeFunction.Create<Harness.Turns.SessionRequest, string>("test::typed", "typed", (r, _, _) => Task.FromResult(r.Validate()))));

        var boom = await Assert.ThrowsAsync<StandInInvocationException>(() => _engine.InvokeAsync("test::boom", new JsonObject()));
        Assert.Equal(("invocation_failed", "kaput"), (boom.Code, boom.Detail));
        var coded = await Assert.ThrowsAsync<StandInInvocationException>(() => _engine.InvokeAsync("test::coded", new JsonObject()));
        Assert.Equal(("custom_code", "custom message"), (coded.Code, coded.Detail));

        var wrongType = await Assert.ThrowsAsync<StandInInvocationException>(() => _engine.InvokeAsync("test::typed", new JsonObject { ["session_id"] = 42 }));
        Assert.Equal("invalid_payload", wrongType.Code);
        Assert.StartsWith("session_id: ", wrongType.Detail, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<StandInInvocationException>(() => _engine.InvokeAsync("test::typed", new JsonObject()));
        Assert.Equal(("invalid_payload", "session_id: is required and must be a non-empty string"), (missing.Code, missing.Detail));
        var notObject = await Assert.ThrowsAsync<StandInInvocationException>(() => _engine.InvokeAsync("test::typed", JsonValue.Create("s")));
        Assert.Equal("invalid_payload", notObject.Code);
    }

    [Fact]
    public async Task A_fire_and_forget_call_is_still_answered_because_the_engine_gave_it_an_id()
    {
        var calls = 0;
        var server = await Start(BridgeFunctionCatalog.Of(Function("test::count", _ => Interlocked.Increment(ref calls))), "server");
        var caller = await Start(BridgeFunctionCatalog.Of(), "caller");

        caller.InvokeVoid("test::count", Json("{}"));

        await EngineStandIn.WaitUntilAsync(
            () => _engine.Frames.Any(f => f.WorkerId == server.WorkerId && f.Type == "invocationresult" && f.FunctionId == "test::count"),
            Patience, "the server's answer to the engine-assigned id");
        Assert.Equal(1, calls);
        var sent = _engine.Frames.Single(f => f.WorkerId == caller.WorkerId && f.FunctionId == "test::count").Frame;
        Assert.False(sent.ContainsKey("invocation_id"));
    }

    [Fact]
    public async Task An_invoke_without_an_invocation_id_runs_but_gets_no_reply()
    {
        var calls = 0;
        var client = await Start(BridgeFunctionCatalog.Of(Function("test::count", _ => Interlocked.Increment(ref calls))));
        await _engine.SendRawAsync(client.WorkerId!, """{"type":"invokefunction","function_id":"test::count","data":null}""");
        await EngineStandIn.WaitUntilAsync(() => Volatile.Read(ref calls) == 1, Patience, "the handler to run");
        // A ping behind it is answered, so anything the client would have sent for the invoke is already here.
        await _engine.SendRawAsync(client.WorkerId!, """{"type":"ping"}""");
        await EngineStandIn.WaitUntilAsync(() => _engine.Frames.Any(f => f.WorkerId == client.WorkerId && f.Type == "pong"), Patience, "pong");
        Assert.DoesNotContain(_engine.Frames, f => f.WorkerId == client.WorkerId && f.Type == "invocationresult");
    }

    [Fact]
    public async Task Unreadable_frames_from_the_engine_are_dropped_without_hurting_the_connection()
    {
        var client = await Start(Echo());
        foreach (var junk in (string[])["not json", """{"type":"mystery"}""", """{"type":"invokefunction","function_id":"test::echo"}""", "[]"])
        {
            await _engine.SendRawAsync(client.WorkerId!, junk);
        }
        var result = await _engine.InvokeAsync("test::echo", new JsonObject { ["still"] = "alive" });
        Assert.Equal("alive", result!["data"]!["still"]!.GetValue<string>());
        Assert.Equal(1, client.ConnectionCount);
    }

    [Fact]
    public async Task Outgoing_calls_surface_engine_errors_and_time_out_with_TIMEOUT()
    {
        await Start(BridgeFunctionCatalog.Of(AsyncFunction("test::slow", async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            return null;
        })), "server");
        var caller = await Start(BridgeFunctionCatalog.Of(), "caller");

        var missing = await Assert.ThrowsAsync<IiiInvocationException>(() => caller.InvokeAsync("nobody::home", Json("{}"), cancellationToken: Ct));
        Assert.Equal("function_not_found", missing.Code);

        var slow = await Assert.ThrowsAsync<IiiInvocationException>(() => caller.InvokeAsync("test::slow", Json("{}"), TimeSpan.FromMilliseconds(200), cancellationToken: Ct));
        Assert.Equal(("TIMEOUT", "invocation timed out after 200ms"), (slow.Code, slow.Detail));
    }

    [Fact]
    public async Task Builtins_such_as_stream_set_and_state_answer_bare_values()
    {
        var client = await Start(BridgeFunctionCatalog.Of());
        var set = await client.InvokeAsync("state::set", Json("""{"scope":"s","key":"k","value":{"n":1}}"""), cancellationToken: Ct);
        Assert.Equal(JsonValueKind.Null, set.GetProperty("old_value").ValueKind);
        var got = await client.InvokeAsync("state::get", Json("""{"scope":"s","key":"k"}"""), cancellationToken: Ct);
        Assert.Equal(1, got.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task After_the_engine_drops_the_socket_the_client_reattaches_and_replays_everything_with_the_same_ids()
    {
        var client = await Start(Echo(), "phoenix");
        var trigger = client.RegisterTrigger("stream", "test::echo", Json("""{"stream_name":"s1"}"""));
        await EngineStandIn.WaitUntilAsync(() => _engine.TriggerBindings.Any(t => t["id"]!.GetValue<string>() == trigger.Id), Patience, "the trigger binding");
        var firstId = client.WorkerId!;
        var token = _engine.Workers.Single(w => w.Id == firstId).ReattachToken;

        _engine.Drop(firstId);

        await EngineStandIn.WaitUntilAsync(() => client.ConnectionCount == 2 && client.WorkerId != firstId && _engine.FunctionOwner("test::echo") == client.WorkerId, Patience, "the second connection");
        var second = _engine.Frames.Where(f => f.WorkerId == client.WorkerId).ToList();
        Assert.Equal("reattach", second[0].Type);
        Assert.Equal(firstId, second[0].Frame["previous_worker_id"]!.GetValue<string>());
        Assert.Equal(token, second[0].Frame["reattach_token"]!.GetValue<string>());
        Assert.Equal("engine::workers::register", second[1].FunctionId);
        await EngineStandIn.WaitUntilAsync(() => _engine.TriggerBindings.Any(t => t["id"]!.GetValue<string>() == trigger.Id), Patience, "the replayed binding");
        var replayed = _engine.Frames.Single(f => f.WorkerId == client.WorkerId && f.Type == "registertrigger").Frame;
        Assert.Equal(trigger.Id, replayed["id"]!.GetValue<string>());
        Assert.Equal("s1", replayed["config"]!["stream_name"]!.GetValue<string>());

        var result = await _engine.InvokeAsync("test::echo", new JsonObject { ["after"] = true });
        Assert.True(result!["data"]!["after"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_call_made_while_disconnected_goes_out_after_reconnecting()
    {
        await Start(Echo(), "server");
        var caller = await Start(BridgeFunctionCatalog.Of(), "caller", o => o.ReconnectInitialDelay = o.ReconnectMaxDelay = TimeSpan.FromMilliseconds(500));
        var firstId = caller.WorkerId!;
        _engine.Drop(firstId);
        await EngineStandIn.WaitUntilAsync(() => !caller.IsConnected, Patience, "the drop to be noticed");

        var call = caller.InvokeAsync("test::echo", Json("""{"queued":1}"""), cancellationToken: Ct);
        Assert.False(call.IsCompleted);

        var result = await call.WaitAsync(Patience, Ct);
        Assert.Equal(1, result.GetProperty("data").GetProperty("queued").GetInt32());
        Assert.NotEqual(firstId, caller.WorkerId);
    }

    [Fact]
    public async Task A_call_in_flight_when_the_socket_drops_fails_fast_with_connection_lost()
    {
        var release = new TaskCompletionSource<object?>();
        await Start(BridgeFunctionCatalog.Of(AsyncFunction("test::hang", (_, _) => release.Task)), "server");
        var caller = await Start(BridgeFunctionCatalog.Of(), "caller");
        var call = caller.InvokeAsync("test::hang", Json("{}"), cancellationToken: Ct);
        await EngineStandIn.WaitUntilAsync(() => _engine.Frames.Any(f => f.WorkerId == caller.WorkerId && f.FunctionId == "test::hang"), Patience, "the call to go out");

        _engine.Drop(caller.WorkerId!);

        var lost = await Assert.ThrowsAsync<IiiInvocationException>(() => call.WaitAsync(Patience, Ct));
        Assert.Equal("connection_lost", lost.Code);
        release.SetResult(null);
    }

    [Fact]
    public async Task The_callers_trace_context_parents_the_handler_activity_and_its_baggage_is_visible()
    {
        string? seenTrace = null, seenParent = null, seenBaggage = null;
        await Start(BridgeFunctionCatalog.Of(Function("test::trace", _ =>
        {
            seenTrace = Activity.Current?.TraceId.ToString();
            seenParent = Activity.Current?.ParentSpanId.ToString();
            seenBaggage = Activity.Current?.GetBaggageItem("session_id");
            return null;
        })));
        await _engine.InvokeAsync("test::trace", new JsonObject(),
            traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", baggage: "session_id=s%201,other=x");
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", seenTrace);
        Assert.Equal("00f067aa0ba902b7", seenParent);
        Assert.Equal("s 1", seenBaggage);
        var reply = _engine.Frames.Last(f => f.Type == "invocationresult" && f.FunctionId == "test::trace").Frame;
        Assert.StartsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-", reply["traceparent"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bindings_of_a_provided_trigger_type_are_acknowledged_and_unknown_types_are_refused()
    {
        var handler = new RecordingTriggerType();
        var provider = await Start(BridgeFunctionCatalog.Of(), "provider");
        provider.RegisterTriggerType("orleans::grain-event", "Fires on grain events", handler);
        var subscriber = await Start(Echo(), "subscriber");

        var binding = subscriber.RegisterTrigger("orleans::grain-event", "test::echo", Json("""{"grain":"g1"}"""));
        await EngineStandIn.WaitUntilAsync(() => handler.Bindings.Any(b => b.Id == binding.Id), Patience, "the forwarded binding");
        await EngineStandIn.WaitUntilAsync(
            () => _engine.Frames.Any(f => f.WorkerId == provider.WorkerId && f.Type == "triggerregistrationresult" && f.Frame["id"]!.GetValue<string>() == binding.Id && !f.Frame.ContainsKey("error")),
            Patience, "the provider's ack");

        var id = Guid.NewGuid().ToString();
        await _engine.SendRawAsync(provider.WorkerId!, $$$"""{"type":"registertrigger","id":"{{{id}}}","trigger_type":"unknown::type","function_id":"f","config":{}}""");
        await EngineStandIn.WaitUntilAsync(
            () => _engine.Frames.Any(f => f.Type == "triggerregistrationresult" && f.Frame["id"]!.GetValue<string>() == id && f.Frame["error"]?["code"]?.GetValue<string>() == "trigger_type_not_found"),
            Patience, "the refusal");
    }

    [Fact]
    public async Task Stopping_lets_a_running_handler_answer_then_closes_the_socket_cleanly()
    {
        var started = new TaskCompletionSource();
        var client = await StartAsync(_engine, BridgeFunctionCatalog.Of(AsyncFunction("test::slowish", async (_, _) =>
        {
            started.SetResult();
            await Task.Delay(300, CancellationToken.None);
            return "finished";
        })), "leaving");
        var call = _engine.InvokeAsync("test::slowish", new JsonObject());
        await started.Task.WaitAsync(Patience, Ct);
        var workerId = client.WorkerId!;

        await client.StopAsync();

        Assert.Equal("finished", (await call)!.GetValue<string>());
        var worker = _engine.AllWorkers.Single(w => w.Id == workerId);
        await worker.Closed.Task.WaitAsync(Patience, Ct);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, worker.CloseStatus);
        Assert.Null(_engine.FunctionOwner("test::slowish"));
    }

    [Fact]
    public void Reconnect_delays_double_up_to_the_cap_with_bounded_jitter()
    {
        var options = new IiiBridgeOptions();
        Assert.Equal(TimeSpan.FromSeconds(1), ReconnectBackoff.Delay(0, options, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(4), ReconnectBackoff.Delay(2, options, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(30), ReconnectBackoff.Delay(20, options, 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(700), ReconnectBackoff.Delay(0, options, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(1300), ReconnectBackoff.Delay(0, options, 1));
    }

    private async Task<JsonObject> WaitForResultAsync(string workerId, Guid id)
    {
        StandInFrame? found = null;
        await EngineStandIn.WaitUntilAsync(
            () => (found = _engine.Frames.FirstOrDefault(f => f.WorkerId == workerId && f.Type == "invocationresult" && f.Frame["invocation_id"]?.GetValue<string>() == id.ToString())) is not null,
            Patience, $"a result for {id}");
        return found!.Frame;
    }

    private sealed class RecordingTriggerType : IIiiTriggerTypeHandler
    {
        public List<IiiTriggerBinding> Bindings { get; } = [];

        public Task RegisterTriggerAsync(IiiTriggerBinding binding, CancellationToken cancellationToken)
        {
            lock (Bindings)
            {
                Bindings.Add(binding);
            }
            return Task.CompletedTask;
        }

        public Task UnregisterTriggerAsync(IiiTriggerBinding binding, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
