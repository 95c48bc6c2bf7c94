namespace Harness.Observers;

/// <summary>
/// The followers of one grain's snapshot (each bridge silo's observer reference), for a grain that pushes every change
/// to all of them before the change returns. A follower unheard of for <see cref="Expiry"/> is dropped (its silo re-
/// follows well within it); one that fails a push is dropped too, and comes back with its next re-follow.
/// </summary>
public sealed class SnapshotFollowers<TObserver>(TimeProvider time) where TObserver : IGrainObserver
{
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<TObserver, DateTimeOffset> _followers = [];

    public int Count => _followers.Count;

    public void Add(TObserver observer) => _followers[observer] = time.GetUtcNow();

    public void Remove(TObserver observer) => _followers.Remove(observer);

    /// <summary>Pushes to every live follower and waits (bounded) for them all; followers that fail are dropped.</summary>
    public async Task PushAsync(Func<TObserver, Task> push)
    {
        var cutoff = time.GetUtcNow() - Expiry;
        foreach (var stale in _followers.Where(f => f.Value < cutoff).Select(f => f.Key).ToList())
        {
            _followers.Remove(stale);
        }
        var followers = _followers.Keys.ToList();
        var pushes = followers.Select(f => push(f).WaitAsync(PushTimeout)).ToList();
        try
        {
            await Task.WhenAll(pushes);
        }
        catch
        {
            // Inspected per push below.
        }
        for (var i = 0; i < followers.Count; i++)
        {
            if (!pushes[i].IsCompletedSuccessfully)
            {
                _followers.Remove(followers[i]);
            }
        }
    }
}
