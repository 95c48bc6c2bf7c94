namespace Harness.Benchmarks;

/// <summary>Sizes of one benchmark run; <c>--quick</c> shrinks everything for a smoke run.</summary>
public sealed record BenchmarkOptions
{
    public required bool Quick { get; init; }

    /// <summary>Names of the benchmarks to run (a = fsm, b = bridge, c = memory, d = failover); default all.</summary>
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

    public bool Runs(string name) => Only.Count == 0 || Only.Contains(name);

    public static BenchmarkOptions? Parse(string[] args, string? connectionString, TextWriter error)
    {
        var quick = false;
        var only = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--only" when i + 1 < args.Length:
                    only.UnionWith(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                default:
                    error.WriteLine($"unknown argument '{args[i]}'. Usage: [--quick] [--only a,b,c,d]");
                    return null;
            }
        }
        return new BenchmarkOptions { Quick = quick, Only = only, ConnectionString = connectionString ?? "" };
    }
}
