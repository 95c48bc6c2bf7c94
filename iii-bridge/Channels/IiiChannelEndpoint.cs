using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Harness.Bridge.Channels;

/// <summary>
/// A connected channel end: a separate WebSocket to <c>/ws/channels/{id}?key=…&amp;dir=read|write</c>. The writer's
/// frames reach the reader unchanged; the writer ends the stream by closing (1000) and the engine then closes the reader.
/// Each end can be taken once.
/// </summary>
public sealed class IiiChannelEndpoint : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly int _maxMessageBytes;

    private IiiChannelEndpoint(ClientWebSocket socket, IiiChannelRef reference, int maxMessageBytes)
    {
        _socket = socket;
        _maxMessageBytes = maxMessageBytes;
        Reference = reference;
    }

    public IiiChannelRef Reference { get; }

    /// <summary>The channel URL on the engine's worker listener (the worker URL's path is kept, as the SDKs do).</summary>
    public static Uri UrlFor(string engineUrl, IiiChannelRef reference) =>
        new($"{engineUrl.TrimEnd('/')}/ws/channels/{Uri.EscapeDataString(reference.ChannelId)}?key={Uri.EscapeDataString(reference.AccessKey)}&dir={reference.Direction}");

    public static async Task<IiiChannelEndpoint> OpenAsync(string engineUrl, IiiChannelRef reference, TimeSpan connectTimeout, int maxMessageBytes, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(connectTimeout);
            await socket.ConnectAsync(UrlFor(engineUrl, reference), timeout.Token);
            return new IiiChannelEndpoint(socket, reference, maxMessageBytes);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Text messages as they arrive, until the engine closes the reader (end of stream). Binary frames are skipped.</summary>
    public async IAsyncEnumerable<string> ReadTextAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, bytes) in ReadMessagesAsync(cancellationToken))
        {
            if (type == WebSocketMessageType.Text)
            {
                yield return Encoding.UTF8.GetString(bytes.Span);
            }
        }
    }

    /// <summary>
    /// Every message as raw bytes, text and binary alike (file contents, HTTP bodies), until the engine closes the
    /// reader. The caller bounds how much it keeps; a single message is still bounded by the max message size.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadBytesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (_, bytes) in ReadMessagesAsync(cancellationToken))
        {
            yield return bytes.ToArray();
        }
    }

    /// <summary>Whole messages with their type; the memory is valid until the next message is read.</summary>
    private async IAsyncEnumerable<(WebSocketMessageType Type, ReadOnlyMemory<byte> Bytes)> ReadMessagesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        while (_socket.State == WebSocketState.Open)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(16 * 1024), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                yield break;
            }
            buffer.Advance(result.Count);
            if (buffer.WrittenCount > _maxMessageBytes)
            {
                throw new InvalidDataException($"channel message exceeds {_maxMessageBytes} bytes");
            }
            if (result.EndOfMessage)
            {
                yield return (result.MessageType, buffer.WrittenMemory);
                buffer.ResetWrittenCount();
            }
        }
    }

    public Task SendTextAsync(string text, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>Ends the stream (writer) or lets go of it (reader).</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        if (Reference.Direction == IiiChannelRef.Write)
        {
            // A writer waits for the engine's close reply, so everything it sent is in the channel.
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "stream_complete", cancellationToken);
        }
        else
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "channel_close", cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
