using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harness.Tests.Bridge.StandIn;

/// <summary>
/// An in-process stand-in for the iii engine (iii-protocol §7.4) on loopback with an ephemeral port: worker sockets,
/// function routing with <c>_caller_worker_id</c>, <c>function_not_found</c>, void and enqueue calls, stream triggers
/// fed by <c>stream::set</c>, reattach eviction, cleanup on disconnect, channels, and a few introspection builtins.
/// It reads frames as plain JSON (not through the bridge's serializer) and follows the engine's rules: a frame that
/// fails to decode is dropped silently.
/// </summary>
public sealed partial class EngineStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, StandInWorker> _workers = new();
    private readonly Dictionary<string, (StandInWorker Owner, JsonObject Registration)> _functions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (StandInWorker? Owner, JsonObject Binding)> _triggers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StandInWorker> _triggerTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Route> _routes = [];
    private readonly Dictionary<string, Dictionary<string, JsonNode?>> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonNode?> _state = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StandInChannel> _channels = new();
    private readonly ConcurrentQueue<StandInFrame> _frames = new();
    private readonly ConcurrentQueue<StandInWorker> _everyWorker = new();
    private readonly SemaphoreSlim _fanout = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private int _sequence;
    private int _disposeCount;

    private sealed record Route(Guid Id, StandInWorker? Caller, bool Reply, StandInWorker Executor, string FunctionId, TaskCompletionSource<JsonNode?>? Local);

    private EngineStandIn(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <param name="port">0 for an ephemeral port; an earlier stand-in's port to restart "the engine" where workers reconnect.</param>
    public static async Task<EngineStandIn> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var engine = new EngineStandIn(app);
        app.UseWebSockets();
        app.Map("/otel", engine.ServeOtelAsync);
        app.Map("/ws/channels/{id}", engine.ServeChannelAsync);
        app.Map("/", engine.ServeWorkerAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        engine.Url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal));
        return engine;
    }

    // ---- test hooks -------------------------------------------------------------------------------------------------

    public IReadOnlyList<StandInFrame> Frames => [.. _frames];

    public IReadOnlyList<StandInWorker> Workers => [.. _workers.Values];

    /// <summary>Every connection ever accepted, including closed ones.</summary>
    public IReadOnlyList<StandInWorker> AllWorkers => [.. _everyWorker];

    public StandInWorker? WorkerNamed(string name) => _workers.Values.FirstOrDefault(w => w.Name == name);

    public string? FunctionOwner(string functionId)
    {
        lock (_lock)
        {
            return _functions.TryGetValue(functionId, out var f) ? f.Owner.Id : null;
        }
    }

    public JsonObject? FunctionRegistration(string functionId)
    {
        lock (_lock)
        {
            return _functions.TryGetValue(functionId, out var f) ? (JsonObject)f.Registration.DeepClone() : null;
        }
    }

    public IReadOnlyList<JsonObject> TriggerBindings
    {
        get
        {
            lock (_lock)
            {
                return [.. _triggers.Values.Select(t => (JsonObject)t.Binding.DeepClone())];
            }
        }
    }

    public IReadOnlyList<JsonNode?> StreamItems(string stream, string group)
    {
        lock (_lock)
        {
            return _streams.TryGetValue($"{stream}\n{group}", out var items) ? [.. items.Values.Select(v => v?.DeepClone())] : [];
        }
    }

    /// <summary>Routes <paramref name="functionId"/> to another worker that registered it too (as its re-registration would).</summary>
    public void Claim(string functionId, string workerId)
    {
        lock (_lock)
        {
            var (_, registration) = _functions[functionId];
            _functions[functionId] = (_workers[workerId], registration);
        }
    }

    /// <summary>Kills a worker's socket without a close handshake, as a crashed network would.</summary>
    public void Drop(string workerId)
    {
        if (_workers.TryGetValue(workerId, out var worker))
        {
            worker.Socket.Abort();
        }
    }

    public Task SendRawAsync(string workerId, string json) =>
        _workers.TryGetValue(workerId, out var w) ? w.SendTextAsync(json) : Task.CompletedTask;

    /// <summary>Polls <paramref name="condition"/> every 20 ms; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#}s waiting for {what}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Async form of <see cref="WaitUntilAsync(Func{bool}, TimeSpan, string)"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#}s waiting for {what}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Calls a function as the engine itself would (no caller worker); throws <see cref="StandInInvocationException"/> on an error body.</summary>
    public async Task<JsonNode?> InvokeAsync(string functionId, JsonNode? data, TimeSpan? timeout = null, JsonNode? metadata = null, string? traceparent = null, string? baggage = null)
    {
        if (IsBuiltin(functionId))
        {
            var (value, error) = await RunBuiltinAsync(null, functionId, data?.DeepClone());
            return error is { } e ? throw new StandInInvocationException(e.Code, e.Message) : value;
        }
        var id = Guid.NewGuid();
        var local = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        StandInWorker? owner;
        lock (_lock)
        {
            owner = _functions.TryGetValue(functionId, out var f) ? f.Owner : null;
            if (owner is not null)
            {
                _routes[id] = new Route(id, null, true, owner, functionId, local);
            }
        }
        if (owner is null)
        {
            throw new StandInInvocationException("function_not_found", $"Function {functionId} not found");
        }
        var frame = new JsonObject
        {
            ["type"] = "invokefunction",
            ["invocation_id"] = id.ToString(),
            ["function_id"] = functionId,
            ["data"] = data?.DeepClone(),
        };
        if (traceparent is not null)
        {
            frame["traceparent"] = traceparent;
        }
        if (baggage is not null)
        {
            frame["baggage"] = baggage;
        }
        if (metadata is not null)
        {
            frame["metadata"] = metadata.DeepClone();
        }
        await owner.SendAsync(frame);
        return await local.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeCount, 1) == 1)
        {
            return; // a test that restarted the engine disposed it already
        }
        await _stopping.CancelAsync();
        foreach (var worker in _workers.Values)
        {
            worker.Socket.Abort();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    // ---- worker sockets ---------------------------------------------------------------------------------------------

    private async Task ServeWorkerAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var worker = new StandInWorker(socket);
        _workers[worker.Id] = worker;
        _everyWorker.Enqueue(worker);
        await worker.SendAsync(new JsonObject { ["type"] = "workerregistered", ["worker_id"] = worker.Id, ["reattach_token"] = worker.ReattachToken });
        FireWorkersAvailable("worker_connected", worker.Id);
        try
        {
            var buffer = new byte[1024 * 1024];
            using var message = new MemoryStream();
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    worker.CloseStatus = result.CloseStatus;
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                var bytes = message.ToArray();
                message.SetLength(0);
                await HandleFrameAsync(worker, bytes);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // Dropped.
        }
        finally
        {
            Cleanup(worker);
        }
    }

    private async Task HandleFrameAsync(StandInWorker worker, byte[] bytes)
    {
        JsonObject frame;
        try
        {
            if (JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = Harness.Bridge.Protocol.IiiMessageSerializer.MaxFrameDepth }) is not JsonObject parsed)
            {
                return;
            }
            frame = parsed;
        }
        catch (JsonException)
        {
            return;
        }
        _frames.Enqueue(new StandInFrame(worker.Id, Interlocked.Increment(ref _sequence), (JsonObject)frame.DeepClone()));
        switch (Str(frame, "type"))
        {
            case "registerfunction" when Str(frame, "id") is { } id:
                lock (_lock)
                {
                    // 0.22.1: a second registration of the same id takes the routing over.
                    _functions[id] = (worker, frame);
                }
                break;
            case "unregisterfunction" when Str(frame, "id") is { } id:
                lock (_lock)
                {
                    if (_functions.TryGetValue(id, out var f) && f.Owner == worker)
                    {
                        _functions.Remove(id);
                    }
                }
                break;
            case "registertriggertype" when Str(frame, "id") is { } id && frame["description"] is not null:
                List<JsonObject> parked;
                lock (_lock)
                {
                    _triggerTypes[id] = worker;
                    parked = [.. _triggers.Values.Where(t => Str(t.Binding, "trigger_type") == id).Select(t => t.Binding)];
                }
                foreach (var binding in parked)
                {
                    await worker.SendAsync(ForwardedBinding(binding));
                }
                break;
            case "registertrigger" when Str(frame, "id") is { } id && Str(frame, "trigger_type") is { } type && Str(frame, "function_id") is not null && frame.ContainsKey("config"):
                StandInWorker? provider;
                lock (_lock)
                {
                    _triggers[id] = (worker, frame);
                    provider = _triggerTypes.GetValueOrDefault(type);
                }
                if (provider is not null)
                {
                    await provider.SendAsync(ForwardedBinding(frame));
                }
                break;
            case "unregistertrigger" when Str(frame, "id") is { } id:
                lock (_lock)
                {
                    _triggers.Remove(id);
                }
                break;
            case "invokefunction":
                await RouteInvokeAsync(worker, frame);
                break;
            case "invocationresult":
                await RouteResultAsync(frame);
                break;
            case "reattach" when Str(frame, "previous_worker_id") is { } previous:
                if (previous != worker.Id && _workers.TryGetValue(previous, out var old) && old.ReattachToken == Str(frame, "reattach_token"))
                {
                    old.Socket.Abort();
                    await old.Closed.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                break;
            case "ping":
                await worker.SendAsync(new JsonObject { ["type"] = "pong" });
                break;
            default:
                // pong, registerservice, triggerregistrationresult, unknown types and undecodable frames: dropped.
                break;
        }
    }

    private static JsonObject ForwardedBinding(JsonObject binding)
    {
        var forwarded = new JsonObject
        {
            ["type"] = "registertrigger",
            ["id"] = Str(binding, "id"),
            ["trigger_type"] = Str(binding, "trigger_type"),
            ["function_id"] = Str(binding, "function_id"),
            ["config"] = binding["config"]?.DeepClone(),
        };
        if (binding["metadata"] is { } metadata)
        {
            forwarded["metadata"] = metadata.DeepClone();
        }
        return forwarded;
    }

    private async Task RouteInvokeAsync(StandInWorker caller, JsonObject frame)
    {
        if (Str(frame, "function_id") is not { } functionId || !frame.ContainsKey("data"))
        {
            return;
        }
        Guid? invocationId = null;
        if (frame["invocation_id"] is { } rawId)
        {
            if (rawId.GetValueKind() != JsonValueKind.String || !Guid.TryParse(rawId.GetValue<string>(), out var parsed))
            {
                return; // malformed UUID: the engine cannot decode the frame
            }
            invocationId = parsed;
        }
        var actionType = frame["action"] is JsonObject action ? Str(action, "type") : null;
        var data = frame["data"]?.DeepClone();

        if (actionType == "enqueue")
        {
            // No queue worker here: acknowledge and deliver as a fire-and-forget call.
            if (invocationId is { } receiptFor)
            {
                await caller.SendAsync(Result(receiptFor, functionId, new JsonObject { ["messageReceiptId"] = Guid.NewGuid().ToString() }));
            }
            invocationId = null;
            actionType = "void";
        }

        if (IsBuiltin(functionId))
        {
            var (result, error) = await RunBuiltinAsync(caller, functionId, data);
            if (invocationId is { } id && actionType != "void")
            {
                await caller.SendAsync(error is null ? Result(id, functionId, result) : Error(id, functionId, error.Value.Code, error.Value.Message));
            }
            return;
        }

        StandInWorker? owner;
        var forwardId = invocationId ?? Guid.NewGuid();
        var reply = invocationId is not null && actionType != "void";
        lock (_lock)
        {
            owner = _functions.TryGetValue(functionId, out var f) ? f.Owner : null;
            if (owner is not null)
            {
                _routes[forwardId] = new Route(forwardId, caller, reply, owner, functionId, null);
            }
        }
        if (owner is null)
        {
            if (reply)
            {
                await caller.SendAsync(Error(forwardId, functionId, "function_not_found", $"Function {functionId} not found"));
            }
            return;
        }
        if (data is JsonObject payload)
        {
            payload["_caller_worker_id"] = caller.Id;
        }
        var forward = new JsonObject
        {
            ["type"] = "invokefunction",
            ["invocation_id"] = forwardId.ToString(),
            ["function_id"] = functionId,
            ["data"] = data,
        };
        foreach (var key in (string[])["traceparent", "baggage", "metadata"])
        {
            if (frame[key] is { } value)
            {
                forward[key] = value.DeepClone();
            }
        }
        await owner.SendAsync(forward);
    }

    private async Task RouteResultAsync(JsonObject frame)
    {
        if (Str(frame, "invocation_id") is not { } raw || !Guid.TryParse(raw, out var id) || Str(frame, "function_id") is not { } functionId)
        {
            return;
        }
        if (frame["error"] is { } errorNode
            && (errorNode is not JsonObject errorObject || Str(errorObject, "code") is null || Str(errorObject, "message") is null))
        {
            return; // a bare-string error is undecodable: dropped, the caller times out
        }
        Route? route;
        lock (_lock)
        {
            _routes.Remove(id, out route);
        }
        if (route is null)
        {
            return; // "Did not find caller"
        }
        if (route.Local is { } local)
        {
            if (frame["error"] is JsonObject error)
            {
                local.TrySetException(new StandInInvocationException(Str(error, "code")!, Str(error, "message")!));
            }
            else
            {
                local.TrySetResult(frame["result"]?.DeepClone());
            }
            return;
        }
        if (route.Reply && route.Caller is { } caller)
        {
            var result = new JsonObject { ["type"] = "invocationresult", ["invocation_id"] = id.ToString(), ["function_id"] = functionId };
            foreach (var key in (string[])["result", "error", "traceparent", "baggage"])
            {
                if (frame[key] is { } value)
                {
                    result[key] = value.DeepClone();
                }
            }
            await caller.SendAsync(result);
        }
    }

    private void Cleanup(StandInWorker worker)
    {
        _workers.TryRemove(worker.Id, out _);
        List<Route> stopped;
        lock (_lock)
        {
            foreach (var id in _functions.Where(f => f.Value.Owner == worker).Select(f => f.Key).ToList())
            {
                _functions.Remove(id);
            }
            foreach (var id in _triggers.Where(t => t.Value.Owner == worker).Select(t => t.Key).ToList())
            {
                _triggers.Remove(id);
            }
            foreach (var type in _triggerTypes.Where(t => t.Value == worker).Select(t => t.Key).ToList())
            {
                _triggerTypes.Remove(type);
            }
            stopped = [.. _routes.Values.Where(r => r.Executor == worker)];
            foreach (var route in stopped)
            {
                _routes.Remove(route.Id);
            }
        }
        foreach (var route in stopped)
        {
            var message = "Invocation stopped: the worker executing it disconnected";
            route.Local?.TrySetException(new StandInInvocationException("invocation_stopped", message));
            if (route.Reply && route.Caller is { } caller)
            {
                _ = caller.SendAsync(Error(route.Id, route.FunctionId, "invocation_stopped", message));
            }
        }
        worker.Closed.TrySetResult();
        FireWorkersAvailable("worker_disconnected", worker.Id);
    }

    // ---- builtins ---------------------------------------------------------------------------------------------------

    private static bool IsBuiltin(string functionId) =>
        functionId.StartsWith("engine::", StringComparison.Ordinal)
        || functionId.StartsWith("stream::", StringComparison.Ordinal)
        || functionId.StartsWith("state::", StringComparison.Ordinal)
        || IsDurableBuiltin(functionId)
        || IsConfigurationBuiltin(functionId);

    private async Task<(JsonNode? Result, (string Code, string Message)? Error)> RunBuiltinAsync(StandInWorker? caller, string functionId, JsonNode? data)
    {
        var input = data as JsonObject ?? [];
        switch (functionId)
        {
            case "engine::workers::register" when caller is not null:
                caller.Name = Str(input, "name");
                caller.Metadata = input.DeepClone();
                FireWorkersAvailable("worker_metadata_updated", caller.Id);
                return (new JsonObject { ["success"] = true }, null);
            case "engine::functions::list":
                lock (_lock)
                {
                    var list = new JsonArray();
                    foreach (var (id, (owner, registration)) in _functions.OrderBy(f => f.Key, StringComparer.Ordinal))
                    {
                        var item = new JsonObject { ["function_id"] = id, ["worker_name"] = owner.Name ?? id.Split("::")[0] };
                        if (registration["description"] is { } description)
                        {
                            item["description"] = description.DeepClone();
                        }
                        list.Add(item);
                    }
                    return (new JsonObject { ["functions"] = list }, null);
                }
            case "engine::functions::info":
                lock (_lock)
                {
                    if (Str(input, "function_id") is not { } id || !_functions.TryGetValue(id, out var f))
                    {
                        return (null, ("NOT_FOUND", "function not found"));
                    }
                    return (new JsonObject
                    {
                        ["function_id"] = id,
                        ["worker_name"] = f.Owner.Name,
                        ["description"] = f.Registration["description"]?.DeepClone(),
                        ["request_schema"] = f.Registration["request_format"]?.DeepClone(),
                        ["response_schema"] = f.Registration["response_format"]?.DeepClone(),
                    }, null);
                }
            case "engine::channels::create":
                var channel = new StandInChannel();
                _channels[channel.Id] = channel;
                return (new JsonObject
                {
                    ["writer"] = new JsonObject { ["channel_id"] = channel.Id, ["access_key"] = channel.AccessKey, ["direction"] = "write" },
                    ["reader"] = new JsonObject { ["channel_id"] = channel.Id, ["access_key"] = channel.AccessKey, ["direction"] = "read" },
                }, null);
            case "stream::set":
                return await StreamSetAsync(input);
            case "stream::get":
                lock (_lock)
                {
                    var items = _streams.GetValueOrDefault($"{Str(input, "stream_name")}\n{Str(input, "group_id")}");
                    return (items?.GetValueOrDefault(Str(input, "item_id") ?? "")?.DeepClone(), null);
                }
            case "stream::list":
                return (new JsonArray([.. StreamItems(Str(input, "stream_name") ?? "", Str(input, "group_id") ?? "")]), null);
            case "state::set":
                lock (_lock)
                {
                    var key = $"{Str(input, "scope")}\n{Str(input, "key")}";
                    var old = _state.GetValueOrDefault(key);
                    var value = (input["value"] ?? input["data"])?.DeepClone();
                    _state[key] = value;
                    return (new JsonObject { ["old_value"] = old?.DeepClone(), ["new_value"] = value?.DeepClone() }, null);
                }
            case "state::get":
                lock (_lock)
                {
                    return (_state.GetValueOrDefault($"{Str(input, "scope")}\n{Str(input, "key")}")?.DeepClone(), null);
                }
            default:
                return RunWorkerBuiltin(functionId, input) ?? RunDurableBuiltin(functionId, input) ?? RunConfigurationBuiltin(functionId, input)
                    ?? (null, ("function_not_found", $"Function {functionId} not found"));
        }
    }

    private async Task<(JsonNode? Result, (string Code, string Message)? Error)> StreamSetAsync(JsonObject input)
    {
        if (Str(input, "stream_name") is not { } stream || Str(input, "group_id") is not { } group || Str(input, "item_id") is not { } item)
        {
            return (null, ("STREAM_SET_ERROR", "stream_name, group_id and item_id are required"));
        }
        var value = input["data"]?.DeepClone();
        JsonNode? old;
        List<JsonObject> bindings;
        lock (_lock)
        {
            var key = $"{stream}\n{group}";
            if (!_streams.TryGetValue(key, out var items))
            {
                items = [];
                _streams[key] = items;
            }
            var existed = items.TryGetValue(item, out old);
            items[item] = value?.DeepClone();
            bindings = [.. _triggers.Values.Select(t => t.Binding).Where(b => Str(b, "trigger_type") == "stream" && Matches(b["config"] as JsonObject, stream, group, item))];
            old = existed ? old?.DeepClone() : null;
        }
        var wrapper = new JsonObject
        {
            ["type"] = "stream",
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["streamName"] = stream,
            ["groupId"] = group,
            ["id"] = item,
            ["event"] = new JsonObject { ["type"] = old is null ? "create" : "update", ["data"] = value?.DeepClone() },
        };
        // One write's triggers are called one after another, and writes fan out in the order they were stored.
        await _fanout.WaitAsync();
        try
        {
            foreach (var binding in bindings)
            {
                try
                {
                    await InvokeAsync(Str(binding, "function_id")!, wrapper.DeepClone(), TimeSpan.FromSeconds(10), binding["metadata"]);
                }
                catch (Exception ex) when (ex is StandInInvocationException or TimeoutException)
                {
                    // A failing subscriber does not fail the write.
                }
            }
        }
        finally
        {
            _fanout.Release();
        }
        return (new JsonObject { ["old_value"] = old, ["new_value"] = value }, null);
    }

    private static bool Matches(JsonObject? config, string stream, string group, string item) =>
        config is not null
        && Str(config, "stream_name") == stream
        && (Str(config, "group_id") is not { } g || g == group)
        && (Str(config, "item_id") is not { } i || i == item);

    // ---- channels ---------------------------------------------------------------------------------------------------

    private async Task ServeChannelAsync(HttpContext context)
    {
        var id = (string?)context.Request.RouteValues["id"];
        var key = context.Request.Query["key"].ToString();
        var direction = context.Request.Query["dir"].ToString();
        if (id is null || !_channels.TryGetValue(id, out var channel) || channel.AccessKey != key || direction is not ("read" or "write"))
        {
            context.Response.StatusCode = 404;
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var taken = direction == "write" ? Interlocked.Exchange(ref channel.WriterTaken, 1) : Interlocked.Exchange(ref channel.ReaderTaken, 1);
        if (taken == 1)
        {
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "channel end already taken", CancellationToken.None);
            return;
        }
        try
        {
            if (direction == "write")
            {
                var buffer = new byte[64 * 1024];
                using var message = new MemoryStream();
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
                        break;
                    }
                    message.Write(buffer, 0, result.Count);
                    if (result.EndOfMessage)
                    {
                        await channel.Buffer.Writer.WriteAsync((message.ToArray(), result.MessageType));
                        message.SetLength(0);
                    }
                }
            }
            else
            {
                // Stop when the reader lets go (or the stand-in stops), even if the writer never shows up.
                using var gone = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await socket.ReceiveAsync(new byte[16], gone.Token);
                    }
                    catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
                    {
                    }
                    finally
                    {
                        try
                        {
                            gone.Cancel();
                        }
                        catch (ObjectDisposedException)
                        {
                        }
                    }
                });
                await foreach (var (data, type) in channel.Buffer.Reader.ReadAllAsync(gone.Token))
                {
                    await socket.SendAsync(data, type, true, CancellationToken.None);
                }
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "stream complete", CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            // An end went away.
        }
        finally
        {
            if (direction == "write")
            {
                channel.Buffer.Writer.TryComplete();
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static string? Str(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static JsonObject Result(Guid id, string functionId, JsonNode? result) =>
        new() { ["type"] = "invocationresult", ["invocation_id"] = id.ToString(), ["function_id"] = functionId, ["result"] = result };

    private static JsonObject Error(Guid id, string functionId, string code, string message) => new()
    {
        ["type"] = "invocationresult",
        ["invocation_id"] = id.ToString(),
        ["function_id"] = functionId,
        ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
    };

    /// <summary>Debug aid: every received frame as one JSON line.</summary>
    public string Dump() => string.Join('\n', _frames.Select(f => $"{f.Sequence} {f.WorkerId[..8]} {f.Frame.ToJsonString()}"));
}
