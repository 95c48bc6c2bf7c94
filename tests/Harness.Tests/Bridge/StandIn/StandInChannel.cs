using System.Net.WebSockets;
using System.Threading.Channels;

namespace Harness.Tests.Bridge.StandIn;

/// <summary>An engine channel: frames written on the write end reach the read end unchanged, in order; closing the writer ends the reader.</summary>
public sealed class StandInChannel
{
    public string Id { get; } = Guid.NewGuid().ToString();

    public string AccessKey { get; } = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "/+=";

    public Channel<(byte[] Data, WebSocketMessageType Type)> Buffer { get; } = Channel.CreateUnbounded<(byte[], WebSocketMessageType)>();

    public int WriterTaken;

    public int ReaderTaken;
}
