using System.Net.WebSockets;
using System.Threading.Channels;

namespace Harness.Bridge.Client;

/// <summary>
/// One live worker socket. Frames are queued and written by a single loop because a WebSocket allows only one send
/// at a time, and queue order is wire order (registrations before the invokes that follow them).
/// </summary>
internal sealed class IiiConnection(WebSocket socket, int serial)
{
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WebSocket Socket { get; } = socket;

    public int Serial { get; } = serial;

    /// <summary>Worker id the engine assigned to this connection (from <c>workerregistered</c>).</summary>
    public string? WorkerId { get; set; }

    public bool Send(byte[] frame) => _outbox.Writer.TryWrite(frame);

    /// <summary>Completes when the writer has stopped (after <see cref="Complete"/>: once everything queued went out).</summary>
    public Task Drained => _drained.Task;

    /// <summary>No more frames: the writer drains what is queued and ends.</summary>
    public void Complete() => _outbox.Writer.TryComplete();

    public async Task RunWriterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in _outbox.Reader.ReadAllAsync(cancellationToken))
            {
                await Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
        }
        catch (Exception) when (Socket.State != WebSocketState.Open || cancellationToken.IsCancellationRequested)
        {
            // The socket went away under us; the receive loop notices and the client reconnects.
        }
        catch (Exception)
        {
            // A send failed on a socket that looks open: take it down so the receive loop ends too.
            Socket.Abort();
            throw;
        }
        finally
        {
            _outbox.Writer.TryComplete();
            _drained.TrySetResult();
        }
    }
}
