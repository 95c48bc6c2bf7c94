namespace Harness.Tests.Soak;

/// <summary>The soak's result as a markdown table, with the fault log and any problems under it.</summary>
public static class SoakTable
{
    public static string ToMarkdown(SoakOptions options, SoakResult r)
    {
        var rows = new (string What, string Value, string Note)[]
        {
            ("turns started", $"{r.TurnsStarted}", $"{options.Sessions} sessions × {options.Duration.TotalSeconds:F0} s, {options.Silos} silo processes, bridge on"),
            ("turns completed", $"{r.TurnsCompleted}", $"tool turn each; {r.Approvals} approvals resolved, {r.SteersPushed} steering messages pushed mid-turn"),
            ("turns lost", $"{r.TurnsLost}", "must be 0: failed, or stopped without the tool result / final answer"),
            ("duplicated tool executions", $"{r.DuplicatedToolExecutions}", "must be 0: extra lines written by demo::append_line for one call id"),
            ("missing tool executions", $"{r.MissingToolExecutions}", "must be 0: stopped turns whose tool never ran"),
            ("tool calls given up as interrupted", $"{r.ToolCallsInterrupted}", "at-most-once answer after a fault; the tool had not run (the turn went on with an error result)"),
            ("tool calls denied, policy unreachable", $"{r.ToolCallsDeniedPolicyUnreachable}", "fail-closed gate_unavailable during a fault (the turn went on with a denial)"),
            ("turns stuck", $"{r.TurnsStuck}", $"must be 0: not terminal {options.Grace.TotalSeconds:F0} s after new turns stopped"),
            ("events missing at subscribers", $"{r.EventsMissing}", $"must be 0: stored seqs 1..N never handed on ({r.EventsSeen} frames seen)"),
            ("steering messages lost", $"{r.SteersLost}", $"must be 0 ({r.SteersLate} came after their turn ended and wait in the inbox)"),
            ("longest pause of a turn", $"{r.LongestPause.TotalSeconds:F1} s", "time without an event or state change (the script itself waits 1 s)"),
            ("driver calls retried", $"{r.Retries}", "calls that failed while a fault was in progress"),
            ("wall time", $"{r.Elapsed.TotalSeconds:F0} s", "including the grace period"),
        };
        var text = new System.Text.StringBuilder();
        text.AppendLine("| soak | value | note |");
        text.AppendLine("|---|---|---|");
        foreach (var (what, value, note) in rows)
        {
            text.AppendLine($"| {what} | {value} | {note} |");
        }
        text.AppendLine();
        text.AppendLine("faults:");
        foreach (var line in r.FaultLog)
        {
            text.AppendLine($"  {line}");
        }
        if (r.Problems.Count > 0)
        {
            text.AppendLine("problems:");
            foreach (var line in r.Problems)
            {
                text.AppendLine($"  {line}");
            }
        }
        return text.ToString();
    }
}
