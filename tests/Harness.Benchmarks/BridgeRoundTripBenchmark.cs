using System.Text.Json.Nodes;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;

namespace Harness.Benchmarks;

/// <summary>
/// (b) Round trip through the iii engine stand-in, called by the official Node client (<c>iii-sdk</c>): a harness
/// function served by the bridge in the silo vs <c>bench::echo</c> served by a bare iii-sdk worker on the same engine.
/// </summary>
public sealed class BridgeRoundTripBenchmark(BenchmarkOptions options, TextWriter log)
{
    public sealed record Sample(string Target, int N, double MeanUs, double P50Us, double P90Us, double P99Us);

    /// <summary>Null when Node or the installed iii-sdk is missing; <paramref name="missing"/> then says what.</summary>
    public static string? SdkEntry(out string missing)
    {
        missing = "";
        var root = RepositoryRoot();
        var entry = root is null ? null : Path.Combine(root, "tests", "node", "node_modules", "iii-sdk", "dist", "index.mjs");
        if (entry is null || !File.Exists(entry))
        {
            missing = "tests/node/node_modules/iii-sdk is not installed (run `npm ci` in tests/node)";
            return null;
        }
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            if (node is null || !node.WaitForExit(10_000) || node.ExitCode != 0)
            {
                missing = "`node --version` failed";
                return null;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            missing = "no `node` executable on PATH";
            return null;
        }
        return entry;
    }

    public async Task<IReadOnlyList<Sample>> RunAsync(string sdkEntry)
    {
        await using var engine = await EngineStandIn.StartAsync();
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules:\n  - \"demo::*\"\n");
        await using var cluster = await BenchCluster.StartAsync(1, options.ConnectionString, workspace, engine.Url.ToString());
        await EngineStandIn.WaitUntilAsync(() => engine.FunctionOwner("turn::get_state") is not null, TimeSpan.FromSeconds(30), "the bridge to register");

        var targets = new JsonArray(
            new JsonObject { ["function_id"] = "bench::echo", ["payload"] = new JsonObject { ["session_id"] = "bench-rtt" } },
            new JsonObject { ["function_id"] = "policy::check_permissions", ["payload"] = new JsonObject { ["function_id"] = "demo::echo" } },
            new JsonObject { ["function_id"] = "turn::get_state", ["payload"] = new JsonObject { ["session_id"] = "bench-rtt" } });
        var script = Path.Combine(AppContext.BaseDirectory, "node", "rtt.mjs");
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { script, sdkEntry, engine.Url.ToString(), options.RoundTrips.ToString(), (options.RoundTrips / 10).ToString(), targets.ToJsonString() })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["OTEL_ENABLED"] = "false";
        info.Environment["III_DISABLE_TRACE_PAYLOADS"] = "1";
        using var node = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10)))
        {
            try
            {
                await node.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                node.Kill(entireProcessTree: true);
                throw new TimeoutException("rtt.mjs ran longer than 10 minutes");
            }
        }
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"rtt.mjs exited with {node.ExitCode}:\n{await stdout}\n{await stderr}");
        }
        var samples = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("{\"target\"", StringComparison.Ordinal))
            .Select(line => JsonNode.Parse(line)!)
            .Select(j => new Sample(j["target"]!.GetValue<string>(), j["n"]!.GetValue<int>(), j["mean_us"]!.GetValue<double>(),
                j["p50_us"]!.GetValue<double>(), j["p90_us"]!.GetValue<double>(), j["p99_us"]!.GetValue<double>()))
            .ToList();
        foreach (var s in samples)
        {
            log.WriteLine($"  rtt {s.Target}: p50 {s.P50Us:F0} us, mean {s.MeanUs:F0} us, p99 {s.P99Us:F0} us (n={s.N})");
        }
        return samples;
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
