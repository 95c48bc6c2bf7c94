namespace Harness.Bridge.Events;

/// <summary>
/// Runs work items one after another per key (a session), off the caller's scheduler, never blocking the caller. At
/// most <see cref="MaxPendingPerKey"/> items wait per key; beyond that new ones are dropped (a stuck target must not
/// grow memory without bound). A failing item does not stop the ones after it.
/// </summary>
public sealed class KeyedSerialQueue
{
    public const int MaxPendingPerKey = 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Chain> _chains = new(StringComparer.Ordinal);

    /// <summary>False when the key's queue is full and <paramref name="work"/> was dropped.</summary>
    public bool Enqueue(string key, Func<Task> work)
    {
        lock (_lock)
        {
            if (!_chains.TryGetValue(key, out var chain))
            {
                _chains[key] = chain = new Chain();
            }
            if (chain.Pending >= MaxPendingPerKey)
            {
                return false;
            }
            chain.Pending++;
            var previous = chain.Tail;
            chain.Tail = Task.Run(() => RunAfterAsync(key, chain, previous, work));
            return true;
        }
    }

    /// <summary>Completes when every item queued so far has run.</summary>
    public Task FlushAsync()
    {
        Task[] tails;
        lock (_lock)
        {
            tails = [.. _chains.Values.Select(c => c.Tail)];
        }
        return Task.WhenAll(tails);
    }

    private async Task RunAfterAsync(string key, Chain chain, Task previous, Func<Task> work)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            await work();
        }
        finally
        {
            lock (_lock)
            {
                if (--chain.Pending == 0 && _chains.TryGetValue(key, out var current) && ReferenceEquals(current, chain))
                {
                    _chains.Remove(key);
                }
            }
        }
    }

    private sealed class Chain
    {
        public Task Tail { get; set; } = Task.CompletedTask;

        public int Pending { get; set; }
    }
}
