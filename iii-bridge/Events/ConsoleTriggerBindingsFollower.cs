using Microsoft.Extensions.Hosting;
using Harness.Triggers;

namespace Harness.Bridge.Events;

/// <summary>This silo's copy of the C4 trigger bindings (<see cref="IConsoleTriggerBindingsGrain"/>), for <see cref="ConsoleTriggerFanout"/>.</summary>
public sealed class ConsoleTriggerBindingsFollower(IGrainFactory grains, ILogger<ConsoleTriggerBindingsFollower> logger, IHostApplicationLifetime? lifetime = null)
    : SnapshotFollower<ConsoleTriggerBindings>(logger, lifetime), IConsoleTriggerBindingsObserver
{
    private IConsoleTriggerBindingsObserver? _reference;

    private IConsoleTriggerBindingsGrain Grain => grains.GetGrain<IConsoleTriggerBindingsGrain>(IConsoleTriggerBindingsGrain.Key);

    private IConsoleTriggerBindingsObserver Reference => _reference ??= grains.CreateObjectReference<IConsoleTriggerBindingsObserver>(this);

    public Task BindingsChanged(ConsoleTriggerBindings snapshot)
    {
        Accept(snapshot);
        return Task.CompletedTask;
    }

    protected override long VersionOf(ConsoleTriggerBindings snapshot) => snapshot.Version;

    protected override Task<ConsoleTriggerBindings> FetchAsync() => Grain.Get();

    protected override Task<ConsoleTriggerBindings> FollowAsync() => Grain.Follow(Reference);

    protected override Task UnfollowAsync() => _reference is null ? Task.CompletedTask : Grain.Unfollow(_reference);
}
