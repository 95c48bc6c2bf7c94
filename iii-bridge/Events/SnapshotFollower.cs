using Microsoft.Extensions.Hosting;

namespace Harness.Bridge.Events;

/// <summary>
/// This silo's copy of a cluster-wide snapshot kept by one grain (UI subscriptions, C4 trigger bindings): the silo
/// follows the grain at start and every <see cref="RefollowPeriod"/> (the grain forgets silent followers, and a new
/// activation of it knows none), and the grain pushes each change here before that change returns. Readers take
/// <see cref="Current"/> without a grain call; until this silo follows (its first follow answered) they ask the grain
/// each time (<see cref="GetAsync"/>), since a change would not be pushed here yet. Snapshots carry a stored version:
/// an older one never replaces a newer one.
/// </summary>
public abstract partial class SnapshotFollower<TSnapshot>(ILogger logger, IHostApplicationLifetime? lifetime) : BackgroundService where TSnapshot : class
{
    public static readonly TimeSpan RefollowPeriod = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private TSnapshot? _current;
    private bool _following;

    /// <summary>The newest snapshot pushed to this silo; null while it does not follow the grain yet.</summary>
    public TSnapshot? Current
    {
        get
        {
            lock (_lock)
            {
                return _following ? _current : null;
            }
        }
    }

    /// <summary><see cref="Current"/>, or the grain's snapshot (not kept) while this silo does not follow yet.</summary>
    public async ValueTask<TSnapshot> GetAsync() => Current ?? await FetchAsync();

    protected abstract long VersionOf(TSnapshot snapshot);

    protected abstract Task<TSnapshot> FetchAsync();

    protected abstract Task<TSnapshot> FollowAsync();

    protected abstract Task UnfollowAsync();

    /// <summary>Called by the grain (through the observer interface) and by each re-follow.</summary>
    protected void Accept(TSnapshot snapshot)
    {
        lock (_lock)
        {
            if (_current is null || VersionOf(snapshot) >= VersionOf(_current))
            {
                _current = snapshot;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (lifetime is not null && !lifetime.ApplicationStarted.IsCancellationRequested)
        {
            // Grains are callable once the host (the silo) has started.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var snapshot = await FollowAsync().WaitAsync(stoppingToken);
                Accept(snapshot);
                lock (_lock)
                {
                    _following = true;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogFollowFailed(logger, typeof(TSnapshot).Name, ex.Message);
            }
            try
            {
                await Task.Delay(RefollowPeriod, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await UnfollowAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception ex)
        {
            LogFollowFailed(logger, typeof(TSnapshot).Name, ex.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Following the {Snapshot} grain failed: {Reason}")]
    private static partial void LogFollowFailed(ILogger logger, string snapshot, string reason);
}
