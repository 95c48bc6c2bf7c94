namespace Harness.Benchmarks.Peers;

/// <summary>What one closed-loop window of a system produced: every turn it started has finished.</summary>
public sealed record PeerWindow(int Turns, int Errors, string? FirstError, double ElapsedMs, IReadOnlyList<double> LatenciesMs)
{
    public double TurnsPerSecond => ElapsedMs <= 0 ? 0 : Turns * 1000.0 / ElapsedMs;

    public double Percentile(double p)
    {
        if (LatenciesMs.Count == 0)
        {
            return double.NaN;
        }
        var sorted = LatenciesMs.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(p * sorted.Count))];
    }
}

/// <summary>A system under test, started for one round and stopped after it so that it runs alone.</summary>
public interface IPeerSystem
{
    /// <summary>Column heading in the table.</summary>
    string Name { get; }

    /// <summary>Its own database on the shared server (so pg_stat_database deltas belong to it).</summary>
    string Database { get; }

    /// <summary>One-time preparation of the fresh database (e.g. the harness schema).</summary>
    Task PrepareAsync(string connectionString);

    Task<IPeerRun> StartAsync(string connectionString, string url);
}

/// <summary>A running system: the processes whose CPU counts as the server's, and its turn driver.</summary>
public interface IPeerRun : IAsyncDisposable
{
    IReadOnlyList<int> ServerPids { get; }

    /// <summary><paramref name="concurrency"/> distinct sessions run turns back to back for <paramref name="duration"/>.</summary>
    Task<PeerWindow> RunAsync(int concurrency, TimeSpan duration, string prefix);
}
