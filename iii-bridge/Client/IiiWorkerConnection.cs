using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using Harness.Bridge.Functions;
using Harness.Bridge.Hosting;
using Harness.Bridge.Protocol;
using Harness.Serialization;

namespace Harness.Bridge.Client;

/// <summary>
/// One worker socket to the iii engine under one worker name: connects, reconnects with backoff, and reads frames.
/// What it publishes (<c>IiiWorkerConnection.Registration.cs</c>), how it answers the engine
/// (<c>.Dispatch.cs</c>) and the calls it makes (<c>.Calls.cs</c>) live in the other parts of this class.
/// </summary>
internal sealed partial class IiiWorkerConnection(
    string name,
    string description,
    IiiBridgeOptions options,
    BridgeFunctionCatalog catalog,
    Func<string, bool> publishes,
    ILogger logger,
    TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<int, Task> _handlers = new();
    private IiiConnection? _current;
    private string? _workerId;
    private string? _reattachToken;
    private int _connectionSerial;
    private int _handlerSerial;
    private TaskCompletionSource<string> _registered = NewRegistration();
    private CancellationToken _stopping = CancellationToken.None;

    /// <summary>How long a stop waits for running handlers and queued frames.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private static readonly JsonElement NullElement = WireJson.Parse("null");

    /// <summary>The worker name sent with <c>engine::workers::register</c>.</summary>
    public string Name { get; } = name;

    public string? WorkerId
    {
        get
        {
            lock (_gate)
            {
                return _workerId;
            }
        }
    }

    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _current is not null;
            }
        }
    }

    public int ConnectionCount => Volatile.Read(ref _connectionSerial);

    public Task<string> WaitForRegistrationAsync(CancellationToken cancellationToken)
    {
        Task<string> task;
        lock (_gate)
        {
            task = _registered.Task;
        }
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Drops the current socket without a close handshake.</summary>
    public void Abort()
    {
        lock (_gate)
        {
            _current?.Socket.Abort();
        }
    }

    /// <summary>Connects and reconnects (backoff, retried for ever) until <paramref name="stoppingToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var uri = new Uri(options.EngineUrl!);
        _stopping = stoppingToken;
        var attempt = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var opened = false;
            try
            {
                using var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = options.KeepAliveInterval;
                socket.Options.KeepAliveTimeout = options.KeepAliveTimeout;
                using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    connectTimeout.CancelAfter(options.ConnectTimeout);
                    await socket.ConnectAsync(uri, connectTimeout.Token);
                }
                opened = true;
                attempt = 0;
                await RunConnectionAsync(socket, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (opened)
                {
                    LogConnectionLost(logger, Name, uri, ex.Message);
                }
                else
                {
                    LogConnectFailed(logger, Name, uri, attempt + 1, ex.Message);
                }
            }
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            var delay = ReconnectBackoff.Delay(attempt++, options, Random.Shared.NextDouble());
            LogReconnecting(logger, Name, delay.TotalMilliseconds, attempt);
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Lets running handlers answer (bounded), then closes the socket with a close handshake so the engine sees a
    /// clean disconnect. The caller cancels <see cref="RunAsync"/> afterwards.
    /// </summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(StopGrace);
        await Task.WhenAll(_handlers.Values).WaitAsync(grace.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        IiiConnection? connection;
        lock (_gate)
        {
            connection = _current;
            _current = null;
        }
        if (connection is not null)
        {
            connection.Complete();
            await connection.Drained.WaitAsync(grace.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (connection.Socket.State == WebSocketState.Open)
            {
                await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "worker stopping", grace.Token)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task RunConnectionAsync(ClientWebSocket socket, CancellationToken stoppingToken)
    {
        var connection = new IiiConnection(socket, Interlocked.Increment(ref _connectionSerial));
        using var writerStop = new CancellationTokenSource();
        var writer = connection.RunWriterAsync(writerStop.Token);
        Open(connection);
        try
        {
            await ReceiveLoopAsync(connection, stoppingToken);
        }
        finally
        {
            Close(connection);
            writerStop.Cancel();
            await writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void Close(IiiConnection connection)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_current, connection))
            {
                _current = null;
            }
            if (_registered.Task.IsCompleted)
            {
                _registered = NewRegistration();
            }
        }
        connection.Complete();
        FailCallsSentOn(connection);
    }

    private async Task ReceiveLoopAsync(IiiConnection connection, CancellationToken stoppingToken)
    {
        var socket = connection.Socket;
        var message = new ArrayBufferWriter<byte>(16 * 1024);
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(message.GetMemory(16 * 1024), stoppingToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                LogEngineClosed(logger, Name, socket.CloseStatus?.ToString() ?? "none", socket.CloseStatusDescription ?? "");
                return;
            }
            message.Advance(result.Count);
            if (message.WrittenCount > options.MaxMessageBytes)
            {
                throw new InvalidDataException($"inbound message exceeds {options.MaxMessageBytes} bytes");
            }
            if (!result.EndOfMessage)
            {
                continue;
            }
            if (result.MessageType == WebSocketMessageType.Binary && IsTelemetry(message.WrittenSpan))
            {
                message.ResetWrittenCount();
                continue;
            }
            if (IiiMessageSerializer.TryParse(message.WrittenSpan, out var parsed, out var error))
            {
                Dispatch(connection, parsed!);
            }
            else if (error != "empty frame")
            {
                LogBadFrame(logger, Name, error ?? "unreadable");
            }
            message.ResetWrittenCount();
        }
    }

    private static bool IsTelemetry(ReadOnlySpan<byte> frame) =>
        frame.StartsWith("OTLP"u8) || frame.StartsWith("MTRC"u8) || frame.StartsWith("LOGS"u8);

    private static TaskCompletionSource<string> NewRegistration() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
