using System.Globalization;
using System.Text;

namespace Harness.Benchmarks.Peers;

/// <summary>Renders the peer comparison as one markdown table: a column per system, a range over the rounds per cell.</summary>
public static class PeerTable
{
    public static string ToMarkdown(PeerComparisonBenchmark.Outcome outcome)
    {
        var rows = new List<(string Label, Func<IReadOnlyList<PeerRound>, string> Cell)>();
        foreach (var c in PeerComparisonBenchmark.Concurrencies)
        {
            rows.Add(($"c={c}: turns/s", r => Range(r.Select(x => At(x, c).Window.TurnsPerSecond), "F1")));
            rows.Add(($"c={c}: p50 / p99 ms", r => $"{Range(r.Select(x => At(x, c).Window.Percentile(0.5)), "F1")} / {Range(r.Select(x => At(x, c).Window.Percentile(0.99)), "F0")}"));
        }
        rows.Add(("PG tx / turn (all, pg_stat_database)", r => Range(r.Select(x => x.TransactionsPerTurn), "F1")));
        rows.Add(("PG write tx / turn (xid), c = 1 · 16 · 64", r => string.Join(" · ", PeerComparisonBenchmark.Concurrencies.Select(c => Range(r.Select(x => At(x, c).WritesPerTurn), "F1")))));
        rows.Add(("rows written / turn (ins+upd+del)", r => Range(r.Select(x => x.TupleWritesPerTurn), "F1")));
        foreach (var c in new[] { 16, 64 })
        {
            rows.Add(($"CPU ms / turn, server + PG (c={c})", r => $"{Range(r.Select(x => At(x, c).ServerCpuMsPerTurn), "F1")} + {Range(r.Select(x => At(x, c).PostgresCpuMsPerTurn), "F1")}"));
        }
        rows.Add(("idle: PG tx/s (write tx/s)", r => $"{Range(r.Select(x => x.IdleTransactionsPerSecond), "F1")} ({Range(r.Select(x => x.IdleWritesPerSecond), "F1")})"));
        rows.Add(("idle: CPU % of a core, server + PG", r => $"{Range(r.Select(x => x.IdleServerCpuPercent), "F1")} + {Range(r.Select(x => x.IdlePostgresCpuPercent), "F1")}"));
        rows.Add(("failed turns", r => r.Sum(x => x.Errors).ToString(CultureInfo.InvariantCulture)));

        var text = new StringBuilder();
        text.AppendLine($"| PostgreSQL {outcome.ServerVersion}, fsync={outcome.Fsync}, synchronous_commit={outcome.SynchronousCommit} | {string.Join(" | ", outcome.Systems)} |");
        text.AppendLine($"|---|{string.Concat(outcome.Systems.Select(_ => "---|"))}");
        foreach (var (label, cell) in rows)
        {
            text.Append($"| {label} |");
            foreach (var system in outcome.Systems)
            {
                var rounds = outcome.Rounds.Where(r => r.System == system).ToList();
                text.Append($" {(rounds.Count == 0 ? "n/a" : cell(rounds))} |");
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    private static PeerWindowResult At(PeerRound round, int c) => round.Windows.Single(w => w.Concurrency == c);

    private static string Range(IEnumerable<double> values, string format)
    {
        var known = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (known.Count == 0)
        {
            return "n/a";
        }
        var low = known[0].ToString(format, CultureInfo.InvariantCulture);
        var high = known[^1].ToString(format, CultureInfo.InvariantCulture);
        return low == high ? low : $"{low}–{high}";
    }
}
