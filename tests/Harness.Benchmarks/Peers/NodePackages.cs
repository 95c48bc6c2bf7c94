namespace Harness.Benchmarks.Peers;

/// <summary>
/// The pinned peer packages of <c>tests/Harness.Benchmarks/node</c> (LangGraph.js, DBOS, iii-sdk; package-lock.json).
/// Kept apart from <c>tests/node</c> so the CI's install never pulls them. Installed on first use with <c>npm ci</c>.
/// </summary>
public static class NodePackages
{
    /// <summary>The checkout this benchmark was built from (the folder holding Harness.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Directory { get; } = Path.Combine(RepositoryRoot, "tests", "Harness.Benchmarks", "node");

    public const string InstallHint = "(cd tests/Harness.Benchmarks/node && npm ci)";

    private static readonly string[] Required =
        ["@langchain/langgraph", "@langchain/langgraph-checkpoint-postgres", "@langchain/core", "@dbos-inc/dbos-sdk", "iii-sdk"];

    /// <summary>Null when ready; otherwise what is missing and what to run.</summary>
    public static async Task<string?> EnsureInstalledAsync(TextWriter log)
    {
        if (Missing().Count == 0)
        {
            return null;
        }
        log.WriteLine($"  installing the peer packages: npm ci in {Directory}");
        try
        {
            var info = new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = Directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            using var npm = Process.Start(info)!;
            var output = npm.StandardOutput.ReadToEndAsync();
            var error = npm.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await npm.WaitForExitAsync(cts.Token);
            if (npm.ExitCode != 0)
            {
                return $"`npm ci` failed ({npm.ExitCode}): {(await error).Split('\n').FirstOrDefault()}; run {InstallHint}";
            }
            await output;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return $"could not run npm ({ex.Message}); run {InstallHint}";
        }
        var missing = Missing();
        return missing.Count == 0 ? null : $"still missing after npm ci: {string.Join(", ", missing)}; run {InstallHint}";
    }

    private static List<string> Missing() =>
        [.. Required.Where(p => !File.Exists(Path.Combine(Directory, "node_modules", p, "package.json")))];

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Harness.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Harness.sln not found above the benchmark binaries");
    }
}
