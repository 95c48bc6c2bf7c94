using Orleans.Concurrency;

namespace Harness.Triggers;

/// <summary>The trigger subscriptions one session owns (key = session id), stored: the authority the console lists.</summary>
public interface ISessionTriggersGrain : IGrainWithStringKey
{
    Task Add(SessionTriggerRecord record);

    /// <summary>Oldest first.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<IReadOnlyList<SessionTriggerRecord>> List();

    /// <summary>Removes and answers the record; null when the session owns no such subscription.</summary>
    Task<SessionTriggerRecord?> Remove(string subscriptionId);

    /// <summary>
    /// Counts one delivery; the record retires (is removed) when it was <c>once</c>, reached <c>max_fires</c> or expired.
    /// Null when the subscription is gone (a late fire of an unregistered binding: deliver nothing).
    /// </summary>
    Task<SessionTriggerFire?> Fired(string subscriptionId, long now);
}
