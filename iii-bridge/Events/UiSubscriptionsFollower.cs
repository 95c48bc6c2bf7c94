using Microsoft.Extensions.Hosting;
using Harness.Ui;

namespace Harness.Bridge.Events;

/// <summary>This silo's copy of the <c>ui::*</c> subscriptions (<see cref="IUiSubscriptionsGrain"/>), for <see cref="UiFanout"/>.</summary>
public sealed class UiSubscriptionsFollower(IGrainFactory grains, ILogger<UiSubscriptionsFollower> logger, IHostApplicationLifetime? lifetime = null)
    : SnapshotFollower<UiSubscriptions>(logger, lifetime), IUiSubscriptionsObserver
{
    private IUiSubscriptionsObserver? _reference;

    private IUiSubscriptionsGrain Grain => grains.GetGrain<IUiSubscriptionsGrain>(IUiSubscriptionsGrain.Key);

    private IUiSubscriptionsObserver Reference => _reference ??= grains.CreateObjectReference<IUiSubscriptionsObserver>(this);

    public Task SubscriptionsChanged(UiSubscriptions snapshot)
    {
        Accept(snapshot);
        return Task.CompletedTask;
    }

    protected override long VersionOf(UiSubscriptions snapshot) => snapshot.Version;

    protected override Task<UiSubscriptions> FetchAsync() => Grain.Get();

    protected override Task<UiSubscriptions> FollowAsync() => Grain.Follow(Reference);

    protected override Task UnfollowAsync() => _reference is null ? Task.CompletedTask : Grain.Unfollow(_reference);
}
