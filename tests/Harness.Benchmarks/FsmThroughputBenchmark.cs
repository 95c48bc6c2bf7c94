using Harness.Tests.Infrastructure;

namespace Harness.Benchmarks;

/// <summary>
/// (a) Durable FSM steps/s: <see cref="BenchmarkOptions.Concurrency"/> sessions on an in-process PostgreSQL cluster
/// each run text-only turns back to back (start + provisioning + assistant_streaming + steering_check = 4 FSM steps
/// per turn, stored by 2 turn writes: provisioning runs inside the start, steering_check inside assistant_streaming).
/// Counted from the harness's own step metrics inside a fixed window after a warm-up.
/// </summary>
public sealed class FsmThroughputBenchmark(BenchmarkOptions options, TextWriter log)
{
    private const string Script = """{"rounds":[{"events":[{"type":"text","text":"ok, nothing to do."},{"type":"usage","input":12,"output":5},{"type":"stop","stop_reason":"end"}]}]}""";

    public sealed record Result(double StepsPerSecond, double TurnsPerSecond, double StepsPerTurn, double TransactionsPerTurn, int TurnRowBytes, long BusyRetries);

    public async Task<Result> RunAsync(short silos)
    {
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules:\n  - \"demo::*\"\n");
        var model = workspace.WriteScript("bench-text", Script);
        await using var cluster = await BenchCluster.StartAsync(silos, options.ConnectionString, workspace);
        await using var database = new Database(options.ConnectionString);
        using var counter = new StepCounter();
        var drivers = Enumerable.Range(0, options.Concurrency).Select(i => new SessionDriver(cluster.Client, $"fsm{silos}-{i}", model)).ToList();
        await Task.WhenAll(drivers.Select(d => d.SubscribeAsync()));

        var busyBefore = SessionDriver.BusyReplies;
        var clock = Stopwatch.StartNew();
        var windowStart = options.WarmUp;
        var windowEnd = options.WarmUp + options.Window;
        long turnsInWindow = 0;
        long turnsAfterWindowStart = 0;
        long transactionsAtStart = 0;
        var windowOpened = Task.Run(async () =>
        {
            await Task.Delay(windowStart);
            transactionsAtStart = await database.TransactionsAsync();
            counter.Counting = true;
            await Task.Delay(options.Window);
            counter.Counting = false;
        });
        await Task.WhenAll(drivers.Select(async driver =>
        {
            while (clock.Elapsed < windowEnd)
            {
                var startedAt = clock.Elapsed;
                await driver.RunTurnAsync();
                var endedAt = clock.Elapsed;
                if (endedAt >= windowStart && endedAt < windowEnd)
                {
                    Interlocked.Increment(ref turnsInWindow);
                }
                if (startedAt >= windowStart)
                {
                    Interlocked.Increment(ref turnsAfterWindowStart);
                }
            }
        }));
        await windowOpened;
        var steps = counter.PersistedSteps;
        // Idle backends publish their transaction counters within 10 s (PGSTAT_IDLE_INTERVAL).
        await Task.Delay(TimeSpan.FromSeconds(11));
        var transactions = await database.TransactionsAsync() - transactionsAtStart;
        var rowBytes = await database.AverageTurnRowBytesAsync(cluster.ServiceId);
        foreach (var driver in drivers)
        {
            await driver.DisposeAsync();
        }
        var seconds = options.Window.TotalSeconds;
        var result = new Result(
            steps / seconds,
            turnsInWindow / seconds,
            turnsInWindow == 0 ? 0 : (double)steps / turnsInWindow,
            turnsAfterWindowStart == 0 ? 0 : (double)transactions / turnsAfterWindowStart,
            rowBytes,
            SessionDriver.BusyReplies - busyBefore);
        log.WriteLine($"  fsm {silos} silo(s): {result.StepsPerSecond:F0} steps/s, {result.TurnsPerSecond:F1} turns/s, {result.StepsPerTurn:F2} steps/turn, {result.TransactionsPerTurn:F1} db transactions/turn, turn row {rowBytes} B, {result.BusyRetries} session_busy retries");
        return result;
    }
}
