using System.Text.Json.Nodes;

namespace Harness.Events;

/// <summary>
/// Fires a C4 console trigger type (<see cref="ConsoleTriggerTypes"/>) to every browser binding of it whose
/// <c>config.session_id</c> is absent or equals <paramref name="sessionId"/>. Never blocks the caller: deliveries are
/// queued and go out in publish order per session (per <c>sessionId ?? ""</c>); a target that answers
/// <c>function_not_found</c> loses its bindings. Without the iii bridge it does nothing.
/// </summary>
public interface IConsoleTriggerPublisher
{
    /// <param name="triggerType">One of <see cref="ConsoleTriggerTypes.All"/>.</param>
    /// <param name="sessionId">The session the event is about; null for session-less events (router::*, or to reach only unfiltered bindings).</param>
    /// <param name="payload">Delivered as the bound function's payload, unchanged.</param>
    void Publish(string triggerType, string? sessionId, JsonNode payload);

    /// <summary>Completes once everything published so far was delivered (or failed). Tests and orderly handoffs.</summary>
    Task FlushAsync();

    /// <summary>False when no binding could take <paramref name="triggerType"/> for <paramref name="sessionId"/> (nothing to queue).</summary>
    bool HasTargets(string triggerType, string? sessionId);

    /// <summary>
    /// Delivers now and completes when every bound function took it (or answered that it cannot: a gone browser or its
    /// own error). Throws when a delivery could not be made (engine away, timeout): the caller keeps it and retries.
    /// </summary>
    Task DeliverAsync(string triggerType, string? sessionId, JsonNode payload);
}

/// <summary>The publisher of a silo without the bridge.</summary>
public sealed class NullConsoleTriggerPublisher : IConsoleTriggerPublisher
{
    public void Publish(string triggerType, string? sessionId, JsonNode payload)
    {
    }

    public Task FlushAsync() => Task.CompletedTask;

    public bool HasTargets(string triggerType, string? sessionId) => false;

    public Task DeliverAsync(string triggerType, string? sessionId, JsonNode payload) => Task.CompletedTask;
}
