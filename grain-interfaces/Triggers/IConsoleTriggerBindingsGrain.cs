using Orleans.Concurrency;

namespace Harness.Triggers;

/// <summary>
/// The cluster's C4 trigger bindings (one grain, key <see cref="Key"/>), stored so a browser's bindings survive a silo
/// kill and are deliverable from every bridge silo, whichever one the engine forwarded the <c>registertrigger</c> to.
/// Each change is pushed to every following silo (<see cref="Follow"/>) before it returns, so the first event after an
/// acknowledged binding is never missed.
/// </summary>
public interface IConsoleTriggerBindingsGrain : IGrainWithStringKey
{
    const string Key = "c4";

    /// <summary>Stores (or replaces, same id) a binding.</summary>
    Task Bind(ConsoleTriggerBinding binding);

    /// <summary>Drops a binding by id; false when none had it.</summary>
    Task<bool> Unbind(string bindingId);

    /// <summary>Drops every binding that targets <paramref name="functionId"/> (it answered <c>function_not_found</c>).</summary>
    Task<int> Forget(string functionId);

    [AlwaysInterleave, ReadOnly]
    Task<ConsoleTriggerBindings> Get();

    /// <summary>Adds (or refreshes) a follower and answers the current snapshot. Followers re-follow periodically.</summary>
    Task<ConsoleTriggerBindings> Follow(IConsoleTriggerBindingsObserver observer);

    Task Unfollow(IConsoleTriggerBindingsObserver observer);
}
