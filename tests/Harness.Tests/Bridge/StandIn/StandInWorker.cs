using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Harness.Tests.Bridge.StandIn;

/// <summary>One worker connection of the stand-in engine.</summary>
public sealed class StandInWorker(WebSocket socket)
{
    private readonly SemaphoreSlim _send = new(1, 1);

    public string Id { get; } = Guid.NewGuid().ToString();

    public string ReattachToken { get; } = Guid.NewGuid().ToString();

    public WebSocket Socket { get; } = socket;

    /// <summary>From <c>engine::workers::register</c>.</summary>
    public string? Name { get; set; }

    public JsonNode? Metadata { get; set; }

    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when the worker ended the connection with a close handshake (not a dropped socket).</summary>
    public WebSocketCloseStatus? CloseStatus { get; set; }

    public Task SendAsync(JsonNode frame) => SendTextAsync(frame.ToJsonString());

    /// <summary>Sends text as is (tests use it for frames that are not valid JSON).</summary>
    public async Task SendTextAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _send.WaitAsync();
        try
        {
            if (Socket.State == WebSocketState.Open)
            {
                await Socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // Gone; the receive loop cleans up.
        }
        finally
        {
            _send.Release();
        }
    }
}
