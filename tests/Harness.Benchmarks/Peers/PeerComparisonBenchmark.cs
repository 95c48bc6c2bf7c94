namespace Harness.Benchmarks.Peers;

/// <summary>
/// (e) The same durable agent turn (user message → the model calls one tool → the tool runs, instant → the model
/// answers; scripted model) in LangGraph.js, DBOS and this project (HTTP API and iii bridge), on the same PostgreSQL
/// server, each system in its own database. Rounds are interleaved (the order flips every round) and only one system
/// runs at a time: it is started for its round and stopped after it.
///
/// A round: start → warm-up → settle → idle reading → c = 1, 16, 64 windows (each after a short warm-up at that c)
/// → settle → final reading → stop. Per window (read at once): turns/s, latency p50/p99, write transactions (the
/// server's xid counter), CPU of the server processes and of all PostgreSQL processes (/proc). Over the whole load
/// part (pg_stat_database, which backends report late, hence the settle periods): all transactions per turn, with
/// the idle rate times the closing settle period taken off.
/// </summary>
public sealed class PeerComparisonBenchmark(BenchmarkOptions options, TextWriter log)
{
    public static readonly int[] Concurrencies = [1, 16, 64];

    /// <summary>Longer than PostgreSQL's 10 s idle-stats flush interval, so every backend has reported its counters.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(11);

    public sealed record Outcome(IReadOnlyList<string> Systems, IReadOnlyList<PeerRound> Rounds, string Fsync, string SynchronousCommit, string ServerVersion);

    public static IReadOnlyList<IPeerSystem> Systems() =>
    [
        new HarnessHttpSystem(),
        new HarnessBridgeSystem(),
        new NodePeerSystem("LangGraph.js 1.7.3", "bench_peer_langgraph", "peer-langgraph.mjs"),
        new NodePeerSystem("DBOS 5.3.0", "bench_peer_dbos", "peer-dbos.mjs"),
    ];

    public async Task<Outcome> RunAsync(IReadOnlyList<IPeerSystem> systems, bool durableCommits = false)
    {
        await using var counters = await PostgresCounters.ConnectAsync(options.ConnectionString);
        var connections = new Dictionary<string, string>();
        foreach (var system in systems)
        {
            connections[system.Name] = await counters.FreshDatabaseAsync(system.Database);
            await system.PrepareAsync(connections[system.Name]);
        }
        var rounds = new List<PeerRound>();
        var changed = false;
        try
        {
            if (durableCommits && (await counters.SettingAsync("fsync") != "on" || await counters.SettingAsync("synchronous_commit") != "on"))
            {
                await counters.SetDurableCommitsAsync(true);
                changed = true;
            }
            var fsync = await counters.SettingAsync("fsync");
            var synchronousCommit = await counters.SettingAsync("synchronous_commit");
            for (var round = 1; round <= options.PeerRounds; round++)
            {
                var order = round % 2 == 1 ? systems : systems.Reverse().ToList();
                foreach (var system in order)
                {
                    rounds.Add(await RoundAsync(counters, system, connections[system.Name], round));
                }
            }
            return new Outcome([.. systems.Select(s => s.Name)], rounds, fsync, synchronousCommit, counters.ServerVersion);
        }
        finally
        {
            if (changed)
            {
                await counters.SetDurableCommitsAsync(false);
            }
        }
    }

    private async Task<PeerRound> RoundAsync(PostgresCounters counters, IPeerSystem system, string connectionString, int round)
    {
        log.WriteLine($"  round {round}: {system.Name}");
        await using var run = await system.StartAsync(connectionString, counters.Url(system.Database));
        var pids = run.ServerPids;
        var warm = await run.RunAsync(16, options.PeerWarmUp * 2, $"r{round}-warm");
        Check(system, warm, "warm-up");
        await Task.Delay(Settle);

        var idleStart = await counters.ReadAsync(system.Database, pids);
        await Task.Delay(options.PeerIdle);
        var idleEnd = await counters.ReadAsync(system.Database, pids);
        var idleSeconds = (idleEnd.At - idleStart.At).TotalSeconds;

        var windows = new List<PeerWindowResult>();
        var loadTurns = 0;
        foreach (var c in Concurrencies)
        {
            var warmAtC = await run.RunAsync(c, options.PeerWarmUp, $"r{round}-c{c}-warm");
            loadTurns += warmAtC.Turns;
            var before = await counters.ReadAsync(system.Database, pids);
            var window = await run.RunAsync(c, options.PeerWindow, $"r{round}-c{c}");
            var after = await counters.ReadAsync(system.Database, pids);
            loadTurns += window.Turns;
            Check(system, window, $"c={c}");
            var result = new PeerWindowResult(c, window, after.NextXid - before.NextXid, after.ServerCpuMs - before.ServerCpuMs, after.PostgresCpuMs - before.PostgresCpuMs);
            windows.Add(result);
            log.WriteLine($"    c={c}: {window.TurnsPerSecond:F1} turns/s, p50 {window.Percentile(0.5):F1} ms, p99 {window.Percentile(0.99):F1} ms, " +
                $"{result.WritesPerTurn:F1} write tx/turn, CPU {result.ServerCpuMsPerTurn:F1} + {result.PostgresCpuMsPerTurn:F1} ms/turn" +
                (window.Errors > 0 ? $", {window.Errors} errors" : ""));
        }
        var loadEnd = DateTime.UtcNow;
        await Task.Delay(Settle);
        var final = await counters.ReadAsync(system.Database, pids);

        // Everything between the idle reading and the final one, less what the idle system does in the closing settle.
        var quiet = (final.At - loadEnd).TotalSeconds;
        var idleRate = (idleEnd.Transactions - idleStart.Transactions) / idleSeconds;
        var idleTupleRate = (idleEnd.TupleWrites - idleStart.TupleWrites) / idleSeconds;
        var roundResult = new PeerRound(system.Name, round, idleSeconds,
            idleEnd.Transactions - idleStart.Transactions, idleEnd.NextXid - idleStart.NextXid,
            idleEnd.ServerCpuMs - idleStart.ServerCpuMs, idleEnd.PostgresCpuMs - idleStart.PostgresCpuMs,
            windows, loadTurns,
            final.Transactions - idleEnd.Transactions - idleRate * quiet,
            final.TupleWrites - idleEnd.TupleWrites - idleTupleRate * quiet);
        log.WriteLine($"    {roundResult.TransactionsPerTurn:F1} tx/turn ({roundResult.WritesPerTurn:F1} writes), {roundResult.TupleWritesPerTurn:F1} rows written/turn; " +
            $"idle {roundResult.IdleTransactionsPerSecond:F1} tx/s, CPU {roundResult.IdleServerCpuPercent:F1} % + {roundResult.IdlePostgresCpuPercent:F1} % of a core");
        return roundResult;
    }

    private void Check(IPeerSystem system, PeerWindow window, string what)
    {
        if (window.Turns == 0)
        {
            throw new InvalidOperationException($"{system.Name} completed no turn in its {what} window: {window.FirstError}");
        }
        if (window.Errors > 0)
        {
            log.WriteLine($"    {system.Name} {what}: {window.Errors} failed turns, first: {window.FirstError}");
        }
    }
}
