using Harness.Serialization;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Events;
using Harness.Triggers;

namespace Harness.Bridge.Events;

/// <summary>
/// The C4 trigger fan-out (<see cref="IConsoleTriggerPublisher"/>): each published event goes to the functions bound to
/// its trigger type (this silo's copy of the bindings, <see cref="ConsoleTriggerBindingsFollower"/>), filtered by the
/// bindings' <c>config.session_id</c>, in publish order per session. A target that answers <c>function_not_found</c>
/// (a closed browser tab) loses every binding (<see cref="IConsoleTriggerBindingsGrain.Forget"/>).
/// </summary>
public sealed partial class ConsoleTriggerFanout(
    IiiWorkerClient client, IGrainFactory grains, ConsoleTriggerBindingsFollower bindings, UiFanout ui, ILogger<ConsoleTriggerFanout> logger)
    : IConsoleTriggerPublisher
{
    public static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(5);

    private readonly KeyedSerialQueue _queue = new();

    public void Publish(string triggerType, string? sessionId, JsonNode payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(triggerType);
        ArgumentNullException.ThrowIfNull(payload);
        if (triggerType == ConsoleTriggerTypes.SessionCreated && sessionId is not null)
        {
            ui.SessionCreated(sessionId);  // the v0.5 UI's push of the same fact
        }
        // Nobody bound this type for this session: skip without queueing (the common case on a busy cluster).
        if (bindings.Current is { } known && !known.Targets(triggerType, sessionId).Any())
        {
            return;
        }
        var body = WireJson.ToElement(payload);
        if (!_queue.Enqueue(sessionId ?? "", () => DeliverAsync(triggerType, sessionId, body)))
        {
            LogDropped(logger, triggerType, sessionId ?? "");
        }
    }

    /// <summary>Runs <paramref name="work"/> in <paramref name="sessionId"/>'s delivery order (a sink that must read state before publishing).</summary>
    public void Enqueue(string? sessionId, Func<Task> work) => _queue.Enqueue(sessionId ?? "", work);

    public Task FlushAsync() => _queue.FlushAsync();

    public bool HasTargets(string triggerType, string? sessionId) =>
        bindings.Current is not { } known || known.Targets(triggerType, sessionId).Any();

    public async Task DeliverAsync(string triggerType, string? sessionId, JsonNode payload)
    {
        var body = WireJson.ToElement(payload);
        var targets = (await bindings.GetAsync()).Targets(triggerType, sessionId).ToList();
        var failures = 0;
        foreach (var target in targets)
        {
            try
            {
                await client.InvokeAsync(target, body, PushTimeout);
            }
            catch (IiiInvocationException ex) when (ex.Code == IiiErrorCodes.FunctionNotFound || ex.Message.Contains(IiiErrorCodes.FunctionNotFound, StringComparison.Ordinal))
            {
                LogForgotten(logger, target, triggerType);
                await grains.GetGrain<IConsoleTriggerBindingsGrain>(IConsoleTriggerBindingsGrain.Key).Forget(target);
            }
            catch (IiiInvocationException ex) when (ex.Code is IiiErrorCodes.InvocationFailed or IiiErrorCodes.InvalidPayload)
            {
                LogPushFailed(logger, target, ex.Message);  // the browser's own error: a retry would fail the same way
            }
            catch (Exception ex)
            {
                LogPushFailed(logger, target, ex.Message);
                failures++;
            }
        }
        if (failures > 0)
        {
            // Retried whole: a target that already took it gets it again (at least once; item ids let it dedupe).
            throw new TimeoutException($"{triggerType}: {failures} of {targets.Count} deliveries not made");
        }
    }

    private async Task DeliverAsync(string triggerType, string? sessionId, JsonElement payload)
    {
        try
        {
            var targets = (await bindings.GetAsync()).Targets(triggerType, sessionId).ToList();
            await Task.WhenAll(targets.Select(t => PushAsync(t, triggerType, payload)));
        }
        catch (Exception ex)
        {
            LogFanoutFailed(logger, triggerType, ex.Message);
        }
    }

    private async Task PushAsync(string functionId, string triggerType, JsonElement payload)
    {
        try
        {
            await client.InvokeAsync(functionId, payload, PushTimeout);
        }
        catch (IiiInvocationException ex) when (ex.Code == IiiErrorCodes.FunctionNotFound || ex.Message.Contains(IiiErrorCodes.FunctionNotFound, StringComparison.Ordinal))
        {
            LogForgotten(logger, functionId, triggerType);
            await grains.GetGrain<IConsoleTriggerBindingsGrain>(IConsoleTriggerBindingsGrain.Key).Forget(functionId);
        }
        catch (Exception ex)
        {
            LogPushFailed(logger, functionId, ex.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "C4 fan-out: {FunctionId} is gone ({TriggerType}), its bindings are forgotten")]
    private static partial void LogForgotten(ILogger logger, string functionId, string triggerType);

    [LoggerMessage(2, LogLevel.Debug, "C4 fan-out push to {FunctionId} failed: {Reason}")]
    private static partial void LogPushFailed(ILogger logger, string functionId, string reason);

    [LoggerMessage(3, LogLevel.Warning, "C4 fan-out of {TriggerType} failed: {Reason}")]
    private static partial void LogFanoutFailed(ILogger logger, string triggerType, string reason);

    [LoggerMessage(4, LogLevel.Warning, "C4 fan-out queue of session '{SessionId}' is full: {TriggerType} dropped")]
    private static partial void LogDropped(ILogger logger, string triggerType, string sessionId);
}
