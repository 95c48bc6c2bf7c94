using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Bridge.Hosting;
using Harness.Messages;
using Harness.Providers;
using Harness.Serialization;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Channels;

/// <summary>
/// Streams a model answer from a provider worker outside the cluster (harness-core §1.4): creates an engine channel,
/// calls <c>provider::&lt;name&gt;::stream {writer_ref, system_prompt, model, messages, tools}</c> and reads one JSON
/// <see cref="AssistantMessageEvent"/> per text frame from the reader end until a terminal event. Failures (no such
/// provider, the call failing, the channel closing early, unreadable frames) end the stream with one <c>error</c> event.
/// </summary>
public sealed partial class ExternalProviderClient(
    IiiWorkerClient client,
    IOptions<IiiBridgeOptions> options,
    ILogger<ExternalProviderClient> logger,
    TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public static string StreamFunctionId(string provider) => $"provider::{provider}::stream";

    public async IAsyncEnumerable<AssistantMessageEvent> StreamAsync(
        string provider, ProviderRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // The producer and this reader run side by side; events (or the one failure) come through this queue.
        var events = Channel.CreateUnbounded<AssistantMessageEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = PumpAsync(provider, request, settings, events.Writer, stop.Token);
        try
        {
            await foreach (var evt in events.Reader.ReadAllAsync(cancellationToken))
            {
                yield return evt;
                if (evt.IsTerminal)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task PumpAsync(string provider, ProviderRequest request, IiiBridgeOptions settings, ChannelWriter<AssistantMessageEvent> events, CancellationToken cancellationToken)
    {
        string? failure = null;
        var errorKind = ErrorKinds.Transient;
        try
        {
            var pair = WireJson.Deserialize<IiiChannelPair>(await client.InvokeAsync("engine::channels::create", WireJson.Parse("{}"), cancellationToken: cancellationToken))
                ?? throw new InvalidDataException("engine::channels::create returned nothing");
            await using var reader = await IiiChannelEndpoint.OpenAsync(settings.EngineUrl!, pair.Reader, settings.ConnectTimeout, settings.MaxMessageBytes, cancellationToken);
            using var readStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var call = client.InvokeAsync(StreamFunctionId(provider), Payload(pair.Writer, request), settings.ProviderStreamTimeout, null, cancellationToken);
            // A provider that fails, or answers without writing, may never open the writer end: stop waiting on the
            // reader then (at once on failure; after a grace for frames still in flight on success).
            _ = call.ContinueWith(
                t =>
                {
                    try
                    {
                        readStop.CancelAfter(t.IsCompletedSuccessfully ? settings.ProviderChannelGrace : TimeSpan.Zero);
                    }
                    catch (ObjectDisposedException)
                    {
                        // The stream already ended.
                    }
                },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

            var terminal = false;
            try
            {
                await foreach (var text in reader.ReadTextAsync(readStop.Token))
                {
                    AssistantMessageEvent? evt;
                    try
                    {
                        evt = JsonSerializer.Deserialize<AssistantMessageEvent>(text, WireJson.Options);
                    }
                    catch (JsonException ex)
                    {
                        LogUnreadableEvent(logger, provider, ex.Message);
                        continue;
                    }
                    if (evt is null)
                    {
                        continue;
                    }
                    await events.WriteAsync(evt, cancellationToken);
                    if (evt.IsTerminal)
                    {
                        terminal = true;
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The call failed; reported below.
            }
            if (terminal)
            {
                return;
            }
            try
            {
                var answer = await call;
                failure = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.False
                    ? $"provider {provider} failed: {(answer.TryGetProperty("status", out var status) ? WireJson.ToText(status) : "ok:false")}"
                    : "provider channel closed without final";
            }
            catch (IiiInvocationException ex)
            {
                failure = ex.Code is IiiErrorCodes.InvocationFailed ? ex.Detail : $"{ex.Code}: {ex.Detail}";
                errorKind = ex.Code == IiiErrorCodes.FunctionNotFound ? ErrorKinds.Permanent : ErrorKinds.Transient;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is IiiInvocationException or System.Net.WebSockets.WebSocketException or InvalidDataException or TimeoutException)
        {
            failure = $"create_channel failed: {ex.Message}";
        }
        finally
        {
            if (failure is not null)
            {
                LogStreamFailed(logger, provider, failure);
                var message = AgentMessage.SyntheticAssistant(StopReasons.Error, failure, provider, request.Model, _time.GetUtcNow().ToUnixTimeMilliseconds())
                    with { ErrorKind = errorKind };
                events.TryWrite(new AssistantMessageEvent { Type = StreamEventTypes.Error, Error = message });
            }
            events.TryComplete();
        }
    }

    private static JsonElement Payload(IiiChannelRef writer, ProviderRequest request) => WireJson.ToElement(new ProviderStreamPayload
    {
        WriterRef = writer,
        SystemPrompt = request.SystemPrompt,
        Model = request.Model,
        Messages = request.Messages,
        Tools = request.Tools,
        ThinkingLevel = request.ThinkingLevel,
    });

    [LoggerMessage(1, LogLevel.Warning, "External provider {Provider} stream failed: {Reason}")]
    private static partial void LogStreamFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(2, LogLevel.Warning, "External provider {Provider} wrote a frame that is not an AssistantMessageEvent: {Reason}")]
    private static partial void LogUnreadableEvent(ILogger logger, string provider, string reason);
}
