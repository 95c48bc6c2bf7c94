using Orleans.Concurrency;

namespace Harness.Ui;

/// <summary>
/// The UI fanout's subscriptions, one per cluster (key <see cref="Key"/>), stored so they survive a silo restart. Every
/// bridge silo writes here whichever silo the engine routed <c>ui::subscribe</c> to, and the silo that emits an event
/// reads here to push it. A browser whose push answers <c>function_not_found</c> is evicted.
/// </summary>
public interface IUiSubscriptionsGrain : IGrainWithStringKey
{
    const string Key = "ui";

    /// <summary><c>ui::subscribe</c>: null session = all sessions; resumes session events. Returns the number of subscribed browsers.</summary>
    Task<int> Subscribe(string browserId, string? sessionId);

    /// <summary><c>ui::unsubscribe</c>: drops that interest (the browser when nothing is left). Returns the number of browsers.</summary>
    Task<int> Unsubscribe(string browserId, string? sessionId);

    /// <summary><c>ui::models::subscribe</c>.</summary>
    Task SubscribeModels(string browserId);

    /// <summary><c>ui::models::unsubscribe</c>.</summary>
    Task UnsubscribeModels(string browserId);

    /// <summary>Removes a browser from both sets (its push answered <c>function_not_found</c>).</summary>
    Task Evict(string browserId);

    /// <summary>
    /// A session-event push answered <c>function_not_found</c>: a session-only browser is evicted; one that also follows all
    /// sessions keeps its traces pushes and only stops getting session events (until it subscribes again).
    /// </summary>
    Task SessionEventsGone(string browserId);

    [AlwaysInterleave, ReadOnly]
    Task<UiSubscriptions> Get();

    /// <summary>
    /// Adds (or refreshes) a bridge silo's follower and answers the current snapshot; every later change is pushed to
    /// the followers before it returns (so the first event after <c>ui::subscribe</c> is not missed). Re-follow periodically.
    /// </summary>
    Task<UiSubscriptions> Follow(IUiSubscriptionsObserver observer);

    Task Unfollow(IUiSubscriptionsObserver observer);
}
