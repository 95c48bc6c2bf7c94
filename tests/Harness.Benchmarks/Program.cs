using System.Runtime.InteropServices;
using Harness.Benchmarks;
using Harness.Benchmarks.Peers;
using Npgsql;

// Benchmarks of the harness on PostgreSQL; prints a markdown table. No timing is asserted anywhere.
// Usage: dotnet run -c Release --project tests/Harness.Benchmarks -- [--quick] [--only a,b,c,d,e] [--peers] [--fsync-on]
// (--peers = only the peer comparison e; --fsync-on adds a peer run with fsync and synchronous_commit on)
// -- --soak [seconds] [sessions]: the soak under faults (needs no HARNESS_PG: it starts a PostgreSQL server of its own)
var log = Console.Out;
if (args.Contains("--turn-cost") && Environment.GetEnvironmentVariable("HARNESS_PG") is { Length: > 0 } costDb)
{
    return await TurnCostProbe.RunAsync(args, costDb, log);  // -- --turn-cost [sessions] [turns]: PostgreSQL cost of one tool turn
}
if (args.Contains("--soak"))
{
    return await Harness.Benchmarks.Soak.SoakCommand.RunAsync(args, log);  // -- --soak [seconds] [sessions]: turns under faults, own PostgreSQL
}
var options = BenchmarkOptions.Parse(args, Environment.GetEnvironmentVariable("HARNESS_PG"), Console.Error);
if (options is null)
{
    return 64;
}
if (options.ConnectionString.Length == 0)
{
    Console.Error.WriteLine("""
        HARNESS_PG is not set. The benchmarks need PostgreSQL with deploy/postgresql/orleans-schema.sql applied:

            deploy/postgresql/setup-local.sh && source .pgdata/pg.env
            dotnet run -c Release --project tests/Harness.Benchmarks -- --quick
            deploy/postgresql/stop-local.sh
        """);
    return 2;
}

var table = new ResultsTable();
var failed = false;
log.WriteLine($"harness benchmarks ({(options.Quick ? "quick" : "full")}): {Environment.ProcessorCount} cpu, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, PostgreSQL {await ServerVersionAsync(options.ConnectionString)}");

if (options.Runs("a"))
{
    await Step("a: durable FSM steps/s vs raw upserts", async () =>
    {
        var fsm = new FsmThroughputBenchmark(options, log);
        var one = await fsm.RunAsync(silos: 1);
        var two = await fsm.RunAsync(silos: 2);
        var upsert = await new PostgresUpsertBenchmark(options, log).RunAsync(one.TurnRowBytes);
        var sessions = $"{options.Concurrency} sessions, text-only turns, {options.Window.TotalSeconds:F0} s window";
        table.Add("durable FSM steps/s", $"1 silo, {sessions}", $"{one.StepsPerSecond:F0} steps/s",
            $"{one.TurnsPerSecond:F1} turns/s; {one.StepsPerTurn:F2} FSM steps/turn (run start and steps, inline ones included); ≈{one.TransactionsPerTurn:F1} PostgreSQL transactions/turn; {one.BusyRetries} session_busy retries");
        table.Add("durable FSM steps/s", $"2 silos, {sessions}", $"{two.StepsPerSecond:F0} steps/s",
            $"{two.TurnsPerSecond:F1} turns/s; {two.StepsPerTurn:F2} FSM steps/turn (run start and steps, inline ones included); ≈{two.TransactionsPerTurn:F1} PostgreSQL transactions/turn; {two.BusyRetries} session_busy retries");
        table.Add("raw PostgreSQL upsert", $"{options.Concurrency} writers, 1 row each, {one.TurnRowBytes} B payload", $"{upsert:F0} tps",
            "insert … on conflict do update, autocommit, Npgsql pool");
        table.Add("ratio FSM steps / upserts", "1 silo | 2 silos", $"{one.StepsPerSecond / upsert:F3} | {two.StepsPerSecond / upsert:F3}",
            "each FSM step is one versioned grain-state write plus the session-tree, reminder and stream work around it");
    });
}

if (options.Runs("b"))
{
    await Step("b: bridge round trip", async () =>
    {
        if (BridgeRoundTripBenchmark.SdkEntry(out var missing) is not { } sdk)
        {
            table.Add("bridge round trip", "iii-sdk caller → engine stand-in", "not measured", missing);
            return;
        }
        var samples = await new BridgeRoundTripBenchmark(options, log).RunAsync(sdk);
        var echo = samples.Single(s => s.Target == "bench::echo");
        foreach (var s in samples)
        {
            var what = s.Target switch
            {
                "bench::echo" => "bare iii-sdk echo worker (Node)",
                "policy::check_permissions" => "bridge, no grain call",
                _ => "bridge → TurnGrain.GetState",
            };
            table.Add("bridge round trip", $"{s.Target} ({what})", $"p50 {s.P50Us / 1000:F3} ms",
                $"mean {s.MeanUs / 1000:F3} ms, p99 {s.P99Us / 1000:F3} ms, n={s.N}" + (s == echo ? "" : $"; ratio vs echo p50 {s.P50Us / echo.P50Us:F2}×"));
        }
    });
}

if (options.Runs("c"))
{
    await Step("c: memory per idle session", async () =>
    {
        var memory = await new IdleSessionMemoryBenchmark(options, log).RunAsync();
        table.Add("memory per idle session", $"{memory.Sessions:N0} sessions (SessionGrain + TurnGrain each), 1 silo in-process",
            $"{memory.HeapBytesPerSession / 1024:F2} KiB GC heap",
            $"working set {memory.WorkingSetBytesPerSession / 1024:F2} KiB/session; {memory.Activations:N0} new activations; heap +{memory.HeapDeltaBytes / 1048576.0:F1} MiB after full GC");
    });
}

if (options.Runs("d"))
{
    await Step("d: failover after kill -9", async () =>
    {
        var trials = await new FailoverBenchmark(options, log).RunAsync();
        foreach (var group in trials.GroupBy(t => t.Variant))
        {
            var done = group.Where(t => t.Completed is not null).ToList();
            var result = done.Count == 0 ? "not completed" : $"{Median(done.Select(t => t.Completed!.Value)):F1} s kill → turn stopped";
            table.Add("failover after kill -9", $"2 silo processes, {group.Key}, {group.Count()} trial(s)", result,
                $"declared dead {Range(group.Select(t => t.DeclaredDead))}; resumed on survivor {Range(group.Select(t => t.Resumed))}; " +
                $"completed {Range(group.Select(t => t.Completed))} (includes re-running the interrupted {FailoverBenchmark.ModelDelayMs} ms model call)" +
                string.Concat(group.Where(t => t.Problem is not null).Select(t => $"; {t.Problem}")));
        }
    });
}

var peerTables = new List<string>();
if (options.Runs("e"))
{
    await Step("e: peer comparison (LangGraph.js, DBOS, harness HTTP and bridge)", async () =>
    {
        if (!ProcessCpu.Available)
        {
            table.Add("peer comparison", "", "not measured", "needs Linux /proc for the CPU figures");
            return;
        }
        if (await NodePackages.EnsureInstalledAsync(log) is { } missing)
        {
            table.Add("peer comparison", "", "not measured", missing);
            return;
        }
        var peers = new PeerComparisonBenchmark(options, log);
        var outcome = await peers.RunAsync(PeerComparisonBenchmark.Systems());
        peerTables.Add(PeerTable.ToMarkdown(outcome));
        table.Add("peer comparison", $"{options.PeerRounds} interleaved round(s), {options.PeerWindow.TotalSeconds:F0} s windows, fsync={outcome.Fsync}", "see the table below", "");
        if (options.PeerFsyncOn)
        {
            var durable = await peers.RunAsync(PeerComparisonBenchmark.Systems(), durableCommits: true);
            peerTables.Add(PeerTable.ToMarkdown(durable));
            table.Add("peer comparison", $"same, fsync={durable.Fsync}, synchronous_commit={durable.SynchronousCommit}", "see the table below", "");
        }
    });
}

log.WriteLine();
log.WriteLine(table.ToMarkdown());
foreach (var peerTable in peerTables)
{
    log.WriteLine(peerTable);
}
return failed ? 1 : 0;

async Task Step(string name, Func<Task> run)
{
    log.WriteLine($"== {name}");
    var clock = Stopwatch.StartNew();
    try
    {
        await run();
    }
    catch (Exception ex)
    {
        failed = true;
        log.WriteLine($"  FAILED: {ex}");
        table.Add(name, "", "failed", ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
    }
    log.WriteLine($"  ({clock.Elapsed.TotalSeconds:F0} s)");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string Range(IEnumerable<double?> values)
{
    var known = values.OfType<double>().Order().ToList();
    return known.Count switch
    {
        0 => "n/a",
        1 => $"{known[0]:F1} s",
        _ => $"{known[0]:F1}–{known[^1]:F1} s",
    };
}

static async Task<string> ServerVersionAsync(string connectionString)
{
    if (connectionString.Length == 0)
    {
        return "?";
    }
    await using var data = NpgsqlDataSource.Create(connectionString);
    await using var command = data.CreateCommand("show server_version");
    return (string)(await command.ExecuteScalarAsync())!;
}
