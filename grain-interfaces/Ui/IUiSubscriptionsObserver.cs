namespace Harness.Ui;

/// <summary>A bridge silo's copy of the UI subscriptions: the grain pushes each new snapshot before the change returns.</summary>
public interface IUiSubscriptionsObserver : IGrainObserver
{
    Task SubscriptionsChanged(UiSubscriptions snapshot);
}
