using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Harness.Tests.Bridge;

/// <summary>
/// Runs the Node peers in <c>tests/node</c> (official <c>iii-sdk@0.22.1</c>) against a stand-in engine. Each run is
/// bounded in time and killed (with its children) when it overruns. Tests skip when Node or the installed package
/// is missing, unless <c>CI</c> or <c>HARNESS_REQUIRE_NODE</c> is set, in which case they fail.
/// </summary>
internal static class NodePeer
{
    private static readonly Lazy<string?> Root = new(FindRepoRoot);

    public static string NodeDirectory => Path.Combine(Root.Value ?? throw new InvalidOperationException("Harness.sln not found above the test binaries"), "tests", "node");

    /// <summary>Skips the calling test when the peers cannot run here (see the class summary).</summary>
    public static void RequireAvailable()
    {
        var missing = Root.Value is null ? "the repository root (Harness.sln)"
            : !File.Exists(Path.Combine(NodeDirectory, "node_modules", "iii-sdk", "package.json")) ? "tests/node/node_modules (run `npm ci` in tests/node)"
            : !NodeRuns() ? "a `node` executable on PATH"
            : null;
        if (missing is null)
        {
            return;
        }
        var required = Environment.GetEnvironmentVariable("CI") is { Length: > 0 } || Environment.GetEnvironmentVariable("HARNESS_REQUIRE_NODE") is { Length: > 0 };
        Assert.False(required, $"Node cross-checks need {missing}");
        Assert.Skip($"Node cross-checks need {missing}");
    }

    /// <summary>Runs <c>node &lt;script&gt; &lt;args&gt;</c>, feeding <paramref name="stdin"/>, and returns its JSON output lines.</summary>
    public static async Task<NodeResult> RunAsync(string script, IEnumerable<string> args, string? stdin = null, int timeoutSeconds = 60)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = NodeDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["OTEL_ENABLED"] = "false";
        start.Environment["III_DISABLE_TRACE_PAYLOADS"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} ran longer than {timeoutSeconds}s\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        }
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .ToList();
        return new NodeResult(process.ExitCode, lines, await stderr);
    }

    private static bool NodeRuns()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            return process is not null && process.WaitForExit(10_000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string? FindRepoRoot()
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
