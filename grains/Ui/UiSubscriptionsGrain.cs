using Harness.Hosting;
using Harness.Observers;

namespace Harness.Ui;

/// <inheritdoc cref="IUiSubscriptionsGrain"/>
[GrainType("ui-subscriptions")]
public sealed class UiSubscriptionsGrain(
    [PersistentState("ui-subscriptions", HarnessStorage.Name)] IPersistentState<UiSubscriptionsState> state,
    TimeProvider time) : Grain, IUiSubscriptionsGrain
{
    private readonly SnapshotFollowers<IUiSubscriptionsObserver> _followers = new(time);
    private UiSubscriptions? _view;

    private UiSubscriptionsState S => state.State;

    public async Task<int> Subscribe(string browserId, string? sessionId)
    {
        var key = SessionKey(sessionId);
        if (!S.Sessions.TryGetValue(browserId, out var sessions))
        {
            S.Sessions[browserId] = sessions = [];
        }
        if (!sessions.Contains(key) | S.SessionEventsMuted.Remove(browserId))
        {
            if (!sessions.Contains(key))
            {
                sessions.Add(key);
            }
            await SaveAsync();
        }
        return S.Sessions.Count;
    }

    public async Task<int> Unsubscribe(string browserId, string? sessionId)
    {
        if (S.Sessions.TryGetValue(browserId, out var sessions) && sessions.Remove(SessionKey(sessionId)))
        {
            if (sessions.Count == 0)
            {
                S.Sessions.Remove(browserId);
                S.SessionEventsMuted.Remove(browserId);
            }
            await SaveAsync();
        }
        return S.Sessions.Count;
    }

    public async Task SubscribeModels(string browserId)
    {
        if (!S.Models.Contains(browserId))
        {
            S.Models.Add(browserId);
            await SaveAsync();
        }
    }

    public async Task UnsubscribeModels(string browserId)
    {
        if (S.Models.Remove(browserId))
        {
            await SaveAsync();
        }
    }

    public async Task Evict(string browserId)
    {
        if (S.Sessions.Remove(browserId) | S.Models.Remove(browserId) | S.SessionEventsMuted.Remove(browserId))
        {
            await SaveAsync();
        }
    }

    public async Task SessionEventsGone(string browserId)
    {
        if (S.Sessions.TryGetValue(browserId, out var sessions) && sessions.Contains(UiSubscriptions.AllSessions))
        {
            if (!S.SessionEventsMuted.Contains(browserId))
            {
                S.SessionEventsMuted.Add(browserId);
                await SaveAsync();
            }
            return;
        }
        await Evict(browserId);
    }

    public Task<UiSubscriptions> Get() => Task.FromResult(View);

    public Task<UiSubscriptions> Follow(IUiSubscriptionsObserver observer)
    {
        _followers.Add(observer);
        return Task.FromResult(View);
    }

    public Task Unfollow(IUiSubscriptionsObserver observer)
    {
        _followers.Remove(observer);
        return Task.CompletedTask;
    }

    private UiSubscriptions View => _view ??= new UiSubscriptions
    {
        Sessions = S.Sessions.ToDictionary(b => b.Key, b => b.Value.ToList(), StringComparer.Ordinal),
        Models = [.. S.Models],
        SessionEventsMuted = [.. S.SessionEventsMuted],
        Version = S.Version,
    };

    private static string SessionKey(string? sessionId) => string.IsNullOrEmpty(sessionId) ? UiSubscriptions.AllSessions : sessionId;

    private async Task SaveAsync()
    {
        _view = null;
        S.Version++;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();  // reload what storage holds rather than serve unsaved subscriptions
            throw;
        }
        var snapshot = View;
        await _followers.PushAsync(f => f.SubscriptionsChanged(snapshot));
    }
}
