using System.Net.WebSockets;
using System.Threading.Channels;
using Harness.Bridge.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Telemetry;

/// <summary>
/// The bridge's second socket, <c>ws://&lt;engine&gt;/otel</c> (the SDKs' layout): exporters queue finished frames and
/// this loop sends each as one binary message, reconnecting with backoff. Telemetry is best effort: frames queued
/// while the engine is away wait (oldest dropped past <see cref="IiiTelemetryOptions.MaxQueuedFrames"/>), a frame whose
/// send fails is dropped. It never logs above Debug, so its own troubles do not feed the log export.
/// </summary>
public sealed class IiiOtelSocket(IOptions<IiiBridgeOptions> bridge, IOptions<IiiTelemetryOptions> options, ILogger<IiiOtelSocket> logger) : BackgroundService
{
    private readonly Channel<byte[]> _frames = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Math.Max(1, options.Value.MaxQueuedFrames))
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    private long _sent;

    /// <summary>Frames written to the socket so far.</summary>
    public long FramesSent => Interlocked.Read(ref _sent);

    /// <summary>The engine's telemetry endpoint: the worker URL with path <c>/otel</c>.</summary>
    public static Uri EndpointFor(string engineUrl) => new UriBuilder(engineUrl) { Path = "/otel", Query = "" }.Uri;

    /// <summary>Queues one frame (<see cref="OtlpJson.Frame"/>); never blocks.</summary>
    public void Enqueue(byte[] frame) => _frames.Writer.TryWrite(frame);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var endpoint = EndpointFor(bridge.Value.EngineUrl!);
        var delay = bridge.Value.ReconnectInitialDelay;
        byte[]? unsent = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            try
            {
                await socket.ConnectAsync(endpoint, stoppingToken);
                delay = bridge.Value.ReconnectInitialDelay;
                while (true)
                {
                    unsent ??= await _frames.Reader.ReadAsync(stoppingToken);
                    var frame = unsent;
                    unsent = null;  // dropped if this send fails
                    await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, stoppingToken);
                    Interlocked.Increment(ref _sent);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException or InvalidOperationException)
            {
                logger.LogDebug("otel socket {Endpoint}: {Error}; reconnecting in {Delay}", endpoint, ex.Message, delay);
            }
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, bridge.Value.ReconnectMaxDelay.Ticks));
        }
    }
}
