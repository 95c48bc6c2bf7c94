using Harness.Sessions;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Orleans.Runtime;

namespace Harness.Benchmarks;

/// <summary>
/// (c) Memory per idle session: activates a SessionGrain (created, tiny stored state) and a TurnGrain (read, no run)
/// per session on a one-silo in-process cluster, forces a full compacting GC and divides the growth of the GC heap
/// and of the process working set by the number of sessions.
/// </summary>
public sealed class IdleSessionMemoryBenchmark(BenchmarkOptions options, TextWriter log)
{
    public sealed record Result(int Sessions, int Activations, double HeapBytesPerSession, double WorkingSetBytesPerSession, long HeapDeltaBytes, long WorkingSetDeltaBytes);

    public async Task<Result> RunAsync()
    {
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules:\n  - \"demo::*\"\n");
        await using var cluster = await BenchCluster.StartAsync(1, options.ConnectionString, workspace);
        var grains = cluster.Client;
        var management = grains.GetGrain<IManagementGrain>(0);

        // Warm-up: JIT, storage and directory paths, connection pools.
        await ActivateAsync(grains, "warm", 200);
        var activationsBefore = await management.GetTotalActivationCount();
        var (heapBefore, workingSetBefore) = Measure();

        await ActivateAsync(grains, "idle", options.IdleSessions);
        var (heapAfter, workingSetAfter) = Measure();
        var activations = await management.GetTotalActivationCount() - activationsBefore;

        var n = options.IdleSessions;
        var result = new Result(n, activations, (double)(heapAfter - heapBefore) / n, (double)(workingSetAfter - workingSetBefore) / n,
            heapAfter - heapBefore, workingSetAfter - workingSetBefore);
        log.WriteLine($"  idle sessions: {n} sessions ({activations} new activations), GC heap +{(heapAfter - heapBefore) / 1048576.0:F1} MiB " +
                      $"= {result.HeapBytesPerSession / 1024:F2} KiB/session, working set +{(workingSetAfter - workingSetBefore) / 1048576.0:F1} MiB " +
                      $"= {result.WorkingSetBytesPerSession / 1024:F2} KiB/session");
        return result;
    }

    private static async Task ActivateAsync(IGrainFactory grains, string prefix, int count)
    {
        const int batch = 250;
        for (var offset = 0; offset < count; offset += batch)
        {
            await Task.WhenAll(Enumerable.Range(offset, Math.Min(batch, count - offset)).Select(async i =>
            {
                var id = $"{prefix}-{i}";
                await grains.GetGrain<ISessionGrain>(id).Ensure();
                await grains.GetGrain<ITurnGrain>(id).GetState();
            }));
        }
    }

    private static (long Heap, long WorkingSet) Measure()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
    }
}
