using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Harness.Tests.Bridge.StandIn;

/// <summary>
/// The engine's <c>/otel</c> socket: no worker entry, text frames ignored, each binary message a 4-byte prefix
/// (<c>OTLP</c>, <c>LOGS</c>, <c>MTRC</c>) and OTLP/JSON; what it receives is kept (bounded) for the tests.
/// </summary>
public sealed partial class EngineStandIn
{
    private const int OtelFrameLimit = 5000;

    private readonly ConcurrentQueue<(string Prefix, JsonObject Body)> _otel = new();

    /// <summary>Every OTLP/JSON export received on <c>/otel</c>, in arrival order, with its prefix.</summary>
    public IReadOnlyList<(string Prefix, JsonObject Body)> OtelFrames => [.. _otel];

    /// <summary>
    /// Spans of every <c>OTLP</c> frame, flattened; each a copy of the OTLP span with <c>service.name</c> of its resource
    /// added as <c>_service</c> and its scope name as <c>_scope</c>.
    /// </summary>
    public IReadOnlyList<JsonObject> OtelSpans => Flatten("OTLP", "resourceSpans", "scopeSpans", "spans");

    /// <summary>Log records of every <c>LOGS</c> frame, flattened like <see cref="OtelSpans"/>.</summary>
    public IReadOnlyList<JsonObject> OtelLogs => Flatten("LOGS", "resourceLogs", "scopeLogs", "logRecords");

    private async Task ServeOtelAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, _stopping.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    Record(message.ToArray());
                }
                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The exporter went away (silo stopped) or the stand-in is stopping.
        }
    }

    private void Record(byte[] frame)
    {
        if (frame.Length < 4)
        {
            return;
        }
        var prefix = Encoding.ASCII.GetString(frame, 0, 4);
        try
        {
            if (JsonNode.Parse(frame.AsSpan(4)) is JsonObject body)
            {
                _otel.Enqueue((prefix, body));
                while (_otel.Count > OtelFrameLimit && _otel.TryDequeue(out _))
                {
                }
            }
        }
        catch (JsonException)
        {
            // Like the engine: a frame that does not parse is dropped.
        }
    }

    private List<JsonObject> Flatten(string prefix, string resources, string scopes, string items)
    {
        var flat = new List<JsonObject>();
        foreach (var (p, body) in _otel)
        {
            if (p != prefix)
            {
                continue;
            }
            foreach (var resource in body[resources]?.AsArray() ?? [])
            {
                var service = resource?["resource"]?["attributes"]?.AsArray()
                    .FirstOrDefault(a => a?["key"]?.GetValue<string>() == "service.name")?["value"]?["stringValue"]?.GetValue<string>();
                foreach (var scope in resource?[scopes]?.AsArray() ?? [])
                {
                    foreach (var item in scope?[items]?.AsArray() ?? [])
                    {
                        var copy = item!.DeepClone().AsObject();
                        copy["_service"] = service;
                        copy["_scope"] = scope?["scope"]?["name"]?.GetValue<string>();
                        flat.Add(copy);
                    }
                }
            }
        }
        return flat;
    }
}
