namespace Harness.Benchmarks.Peers;

/// <summary>One measured window at one concurrency: the turns, and the counters moved while it ran.</summary>
public sealed record PeerWindowResult(int Concurrency, PeerWindow Window, long WriteTransactions, double ServerCpuMs, double PostgresCpuMs)
{
    public double WritesPerTurn => Window.Turns == 0 ? double.NaN : (double)WriteTransactions / Window.Turns;

    public double ServerCpuMsPerTurn => Window.Turns == 0 ? double.NaN : ServerCpuMs / Window.Turns;

    public double PostgresCpuMsPerTurn => Window.Turns == 0 ? double.NaN : PostgresCpuMs / Window.Turns;
}

/// <summary>One round of one system: idle figures, the windows, and the settled transaction totals of the load.</summary>
public sealed record PeerRound(
    string System,
    int Round,
    double IdleSeconds,
    long IdleTransactions,
    long IdleWriteTransactions,
    double IdleServerCpuMs,
    double IdlePostgresCpuMs,
    IReadOnlyList<PeerWindowResult> Windows,
    int LoadTurns,
    double LoadTransactions,
    double LoadTupleWrites)
{
    public double IdleTransactionsPerSecond => IdleTransactions / IdleSeconds;

    public double IdleWritesPerSecond => IdleWriteTransactions / IdleSeconds;

    /// <summary>Percent of one core.</summary>
    public double IdleServerCpuPercent => IdleServerCpuMs / (IdleSeconds * 10);

    public double IdlePostgresCpuPercent => IdlePostgresCpuMs / (IdleSeconds * 10);

    public double TransactionsPerTurn => LoadTurns == 0 ? double.NaN : LoadTransactions / LoadTurns;

    public double TupleWritesPerTurn => LoadTurns == 0 ? double.NaN : LoadTupleWrites / LoadTurns;

    public double WritesPerTurn
    {
        get
        {
            var turns = Windows.Sum(w => w.Window.Turns);
            return turns == 0 ? double.NaN : (double)Windows.Sum(w => w.WriteTransactions) / turns;
        }
    }

    public int Errors => Windows.Sum(w => w.Window.Errors);

    public string? FirstError => Windows.Select(w => w.Window.FirstError).FirstOrDefault(e => e is not null);
}
