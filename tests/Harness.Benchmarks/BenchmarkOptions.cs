namespace Harness.Benchmarks;

/// <summary>Sizes of one benchmark run; <c>--quick</c> shrinks everything for a smoke run.</summary>
public sealed record BenchmarkOptions
{
    public required bool Quick { get; init; }

    /// <summary>
    /// Names of the benchmarks to run (a = fsm, b = bridge, c = memory, d = failover, e = peer comparison); default
    /// a–d. The peer comparison takes about ten minutes on its own, so it runs only when asked for (<c>--peers</c>
    /// or <c>--only e</c>).
    /// </summary>
    public required IReadOnlySet<string> Only { get; init; }

    public required string ConnectionString { get; init; }

    /// <summary>Concurrent sessions of the FSM benchmark, and concurrent writers of the raw upsert benchmark.</summary>
    public int Concurrency => Quick ? 16 : 64;

    /// <summary>Measured window of each throughput run, after a warm-up of the same sessions.</summary>
    public TimeSpan Window => Quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(20);

    public TimeSpan WarmUp => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(5);

    /// <summary>Sequential calls per target in the bridge round-trip benchmark.</summary>
    public int RoundTrips => Quick ? 300 : 3000;

    public int IdleSessions => Quick ? 1_000 : 10_000;

    public int FailoverTrials => Quick ? 1 : 3;

    /// <summary>Rounds of the peer comparison (the system order flips every round).</summary>
    public int PeerRounds => Quick ? 1 : 2;

    /// <summary>Measured window per system and concurrency in the peer comparison.</summary>
    public TimeSpan PeerWindow => Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(6);

    /// <summary>Warm-up before each peer window (twice this once after a system starts).</summary>
    public TimeSpan PeerWarmUp => Quick ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(1);

    /// <summary>How long each started, warmed-up system is left idle to measure its background cost.</summary>
    public TimeSpan PeerIdle => Quick ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(5);

    /// <summary>Also run the peer comparison once with fsync and synchronous_commit on (<c>--fsync-on</c>).</summary>
    public bool PeerFsyncOn { get; init; }

    public bool Runs(string name) => Only.Count == 0 ? name != "e" : Only.Contains(name);

    public static BenchmarkOptions? Parse(string[] args, string? connectionString, TextWriter error)
    {
        var quick = false;
        var only = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var fsyncOn = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--peers":
                    only.Add("e");
                    break;
                case "--fsync-on":
                    fsyncOn = true;
                    break;
                case "--only" when i + 1 < args.Length:
                    only.UnionWith(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                default:
                    error.WriteLine($"unknown argument '{args[i]}'. Usage: [--quick] [--only a,b,c,d,e] [--peers] [--fsync-on]");
                    return null;
            }
        }
        return new BenchmarkOptions { Quick = quick, Only = only, ConnectionString = connectionString ?? "", PeerFsyncOn = fsyncOn };
    }
}
