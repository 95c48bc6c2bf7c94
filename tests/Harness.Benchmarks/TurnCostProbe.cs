using Harness.Functions;
using Harness.Hosting;
using Harness.Silo.Hosting;
using Harness.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Harness.Benchmarks;

/// <summary>
/// <c>--turn-cost [sessions] [turns-per-session] [--fresh]</c>: what one durable turn of the peer shape (user message → the model
/// calls one tool → the tool runs → the model answers; scripted model, instant in-process tool) costs PostgreSQL, in
/// the default durable configuration on one in-process silo: transactions and write transactions per turn (exact
/// counters), the statement breakdown (pg_stat_statements, when the server preloads it), CPU ms of this process and
/// of the PostgreSQL processes, then the same counters for an idle cluster. Not a timed test.
/// </summary>
public static class TurnCostProbe
{
    public static async Task<int> RunAsync(string[] args, string connectionString, TextWriter log)
    {
        var rest = args.SkipWhile(a => a != "--turn-cost").Skip(1).Where(a => int.TryParse(a, out _)).Select(int.Parse).ToList();
        var sessions = rest.ElementAtOrDefault(0) is > 0 and var s ? s : 8;
        var turnsPerSession = rest.ElementAtOrDefault(1) is > 0 and var t ? t : 25;
        var fresh = args.Contains("--fresh");
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules:\n  - \"bench::*\"\n");
        // Round 2k calls the tool (a fresh call id per turn: results are keyed by it), round 2k+1 answers; a new
        // session per turn only ever plays the first two (the script is read for every model call, keep it small).
        var rounds = Enumerable.Range(0, fresh ? 1 : turnsPerSession + 2).SelectMany(k => new[]
        {
            $$$"""{"events":[{"type":"function_call","id":"c{{{k}}}","function":"bench::noop","payload":{}},{"type":"usage","input":20,"output":8},{"type":"stop","stop_reason":"tool_use"}]}""",
            """{"events":[{"type":"text","text":"done."},{"type":"usage","input":30,"output":3},{"type":"stop","stop_reason":"end"}]}""",
        });
        var model = workspace.WriteScript("bench-tool", $$"""{"rounds":[{{string.Join(",", rounds)}}]}""");
        var tools = new LocalFunctionRegistry();
        tools.Register("bench::noop", (_, _) => Task.FromResult(WireJson.Parse("""{"ok":true}""")));

        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Harness:Providers:Scripted:Directory"] = workspace.ScriptDirectory,
            ["Harness:Permissions:Path"] = workspace.PermissionsPath,
            ["Harness:Models:RefreshOnStartup"] = "false",
        }).Build();
        var turnOptions = new Harness.Turns.TurnOptions();
        var builder = new InProcessTestClusterBuilder(1);
        var id = Guid.NewGuid().ToString("N")[..12];
        builder.Options.ClusterId = $"cost-{id}";
        builder.Options.ServiceId = $"cost-{id}";
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureHost(host => host.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Error));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(tools);
            silo.Services.AddHarnessCore(config);
            silo.AddHarnessStorage(connectionString).AddHarnessRuntime(turnOptions.WakeReminderPeriod);
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        await using var probe = new CostCounters(connectionString);
        var drivers = Enumerable.Range(0, sessions).Select(i => new SessionDriver(cluster.Client, $"cost-{id}-{i}", model)).ToList();
        await Task.WhenAll(drivers.Select(d => d.SubscribeAsync()));
        await Task.WhenAll(drivers.Select(d => d.RunTurnAsync()));  // warm-up: activations, first rows
        await Task.Delay(TimeSpan.FromSeconds(2));

        using var spans = new SpanTotals();
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var freshDrivers = new System.Collections.Concurrent.ConcurrentBag<SessionDriver>();
        var before = await probe.SnapshotAsync();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(drivers.Select(async (d, n) =>
        {
            for (var i = 1; i < turnsPerSession; i++)
            {
                var started = Stopwatch.GetTimestamp();
                if (fresh)
                {
                    // The peer workload's shape: every turn on a session nobody has used (activations, first rows).
                    // Kept subscribed to the end: events still in flight after stopped would reach a disposed observer.
                    var newSession = new SessionDriver(cluster.Client, $"cost-{id}-{n}-t{i}", model);
                    freshDrivers.Add(newSession);
                    await newSession.SubscribeAsync();
                    await newSession.RunTurnAsync();
                }
                else
                {
                    await d.RunTurnAsync();
                }
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var elapsed = clock.Elapsed;
        var turns = sessions * (turnsPerSession - 1);
        // Idle backends publish their transaction counters within 10 s (PGSTAT_IDLE_INTERVAL).
        await Task.Delay(TimeSpan.FromSeconds(11));
        var after = await probe.SnapshotAsync();
        var statements = await probe.StatementsAsync();
        var idleSeconds = 20;
        var idleBefore = await probe.SnapshotAsync();
        await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
        await Task.Delay(TimeSpan.FromSeconds(11));
        var idleAfter = await probe.SnapshotAsync();
        var idleWall = idleSeconds + 11;
        foreach (var d in drivers.Concat(freshDrivers))
        {
            await d.DisposeAsync();
        }

        log.WriteLine($"turn cost{(fresh ? " (a new session per turn)" : "")}: {sessions} sessions x {turnsPerSession - 1} measured turns = {turns} turns in {elapsed.TotalSeconds:F1} s ({turns / elapsed.TotalSeconds:F1} turns/s)");
        var window = new Peers.PeerWindow(turns, 0, null, elapsed.TotalMilliseconds, [.. latencies]);
        log.WriteLine($"  turn latency p50 {window.Percentile(0.5):F2} ms, p99 {window.Percentile(0.99):F2} ms; span ms per turn (wall, summed over spans of that name):");
        foreach (var (name, count, ms) in spans.Rows)
        {
            log.WriteLine($"    {ms / turns,7:F2} ms  {(double)count / turns,5:F2}×  {name}");
        }
        log.WriteLine($"  PG transactions/turn: {(double)(after.Transactions - before.Transactions) / turns:F1}");
        log.WriteLine($"  PG write transactions/turn: {(double)(after.WriteTransactions - before.WriteTransactions) / turns:F1}");
        log.WriteLine($"  CPU ms/turn: this process {(after.OwnCpuMs - before.OwnCpuMs) / turns:F2}, PostgreSQL {(after.PgCpuMs - before.PgCpuMs) / turns:F2}");
        log.WriteLine($"  idle ({idleWall} s): PG {(double)(idleAfter.Transactions - idleBefore.Transactions) / idleWall:F2} tx/s, {(double)(idleAfter.WriteTransactions - idleBefore.WriteTransactions) / idleWall:F2} write tx/s, this process {(idleAfter.OwnCpuMs - idleBefore.OwnCpuMs) / idleWall / 10:F2} % of a core, PostgreSQL {(idleAfter.PgCpuMs - idleBefore.PgCpuMs) / idleWall / 10:F2} %");
        if (statements.Count > 0)
        {
            log.WriteLine("  statements per turn (pg_stat_statements, measured window):");
            foreach (var (query, calls) in statements)
            {
                log.WriteLine($"    {(double)calls / turns,7:F2}  {query}");
            }
        }
        return 0;
    }

    /// <summary>Wall time spent in each span name of the harness's own ActivitySource, for the breakdown of a turn's latency.</summary>
    private sealed class SpanTotals : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Count, double Ms)> _totals = new();

        public SpanTotals()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name == Harness.Hosting.HarnessTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = a => _totals.AddOrUpdate(Key(a.DisplayName), (1, a.Duration.TotalMilliseconds), (_, t) => (t.Count + 1, t.Ms + a.Duration.TotalMilliseconds)),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IEnumerable<(string Name, long Count, double Ms)> Rows => _totals.Select(kv => (kv.Key, kv.Value.Count, kv.Value.Ms)).OrderByDescending(r => r.Ms);

        private static string Key(string name) => name.StartsWith("execute ", StringComparison.Ordinal) ? "execute" : name;

        public void Dispose() => _listener.Dispose();
    }

    private sealed record Snapshot(long Transactions, long WriteTransactions, double OwnCpuMs, double PgCpuMs);

    /// <summary>Exact PostgreSQL counters: commits + rollbacks, xids handed out (= transactions that wrote), CPU of the server processes.</summary>
    private sealed class CostCounters(string connectionString) : IAsyncDisposable
    {
        private readonly NpgsqlDataSource _data = NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "harness-cost-probe", MaxPoolSize = 1 }.ConnectionString);

        private bool _statementsReset;

        public async Task<Snapshot> SnapshotAsync()
        {
            if (!_statementsReset)
            {
                _statementsReset = true;
                await TryAsync("select pg_stat_statements_reset()");
            }
            await using var command = _data.CreateCommand(
                "select (select xact_commit + xact_rollback from pg_stat_database where datname = current_database()), " +
                "pg_snapshot_xmax(pg_current_snapshot())::text::bigint");
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var tx = reader.GetInt64(0);
            var xids = reader.GetInt64(1);
            var dataDir = Environment.GetEnvironmentVariable("HARNESS_PG_DATA");  // written by setup-local.sh
            return new Snapshot(tx, xids, Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds,
                string.IsNullOrEmpty(dataDir) ? 0 : PostgresCpuMs(dataDir));
        }

        public async Task<List<(string Query, long Calls)>> StatementsAsync()
        {
            var rows = new List<(string, long)>();
            try
            {
                await using var command = _data.CreateCommand(
                    "select regexp_replace(left(query, 110), '\\s+', ' ', 'g'), calls from pg_stat_statements " +
                    "where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat%' " +
                    "and query not like '%pg_snapshot%' order by calls desc limit 25");
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    rows.Add((reader.GetString(0), reader.GetInt64(1)));
                }
            }
            catch (PostgresException)
            {
                // pg_stat_statements is not preloaded on this server: counters only.
            }
            return rows;
        }

        private async Task TryAsync(string sql)
        {
            try
            {
                await using var command = _data.CreateCommand(sql);
                await command.ExecuteNonQueryAsync();
            }
            catch (PostgresException)
            {
            }
        }

        /// <summary>utime + stime of every process whose command line names this server's data directory or is its child.</summary>
        private static double PostgresCpuMs(string dataDir)
        {
            var ticks = 0L;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (!stat.Contains("(postgres)"))
                    {
                        continue;
                    }
                    var environ = File.ReadAllText(Path.Combine(dir, "cmdline"));
                    var parent = int.Parse(fields[1]);
                    var parentCmd = File.Exists($"/proc/{parent}/cmdline") ? File.ReadAllText($"/proc/{parent}/cmdline") : "";
                    if (!environ.Contains(dataDir) && !parentCmd.Contains(dataDir))
                    {
                        continue;
                    }
                    ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
                {
                }
            }
            return ticks * 10.0;  // USER_HZ = 100
        }

        public ValueTask DisposeAsync() => _data.DisposeAsync();
    }
}
