using Harness.Tests.Soak;

namespace Harness.Benchmarks.Soak;

/// <summary>
/// <c>-- --soak [seconds] [sessions]</c>: the soak under every fault (kill -9 a silo, a rolling restart, a PostgreSQL
/// restart -m immediate, an engine restart) on a PostgreSQL server of its own; prints the counts as a table.
/// Exit code 1 when anything was lost, duplicated, stuck or missing.
/// </summary>
public static class SoakCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter log)
    {
        var rest = args.SkipWhile(a => a != "--soak").Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var seconds = rest.Count > 0 ? int.Parse(rest[0]) : 120;
        var sessions = rest.Count > 1 ? int.Parse(rest[1]) : 50;
        var clock = Stopwatch.StartNew();
        var options = new SoakOptions
        {
            Duration = TimeSpan.FromSeconds(seconds),
            Sessions = sessions,
            Log = line => log.WriteLine($"  [{clock.Elapsed.TotalSeconds,5:F0} s] {line}"),
        };
        log.WriteLine($"== soak: {sessions} sessions, {seconds} s, faults {string.Join(", ", options.Faults)}");
        var result = await SoakDriver.RunAsync(options);
        log.WriteLine();
        log.WriteLine(SoakTable.ToMarkdown(options, result));
        var clean = result.TurnsLost + result.DuplicatedToolExecutions + result.MissingToolExecutions + result.TurnsStuck + result.EventsMissing + result.SteersLost == 0;
        return clean ? 0 : 1;
    }
}
