namespace Harness.Tests.Soak;

/// <summary>The counts of one soak run. Everything but the timings must be zero for a healthy cluster.</summary>
public sealed record SoakResult
{
    public int TurnsStarted { get; init; }

    public int TurnsCompleted { get; init; }

    /// <summary>Started, but ended failed, or stopped without its tool result or final answer in the transcript.</summary>
    public int TurnsLost { get; init; }

    /// <summary>Tool calls whose tool wrote more than one line (counted by the tool itself).</summary>
    public int DuplicatedToolExecutions { get; init; }

    /// <summary>Tool calls of stopped turns whose tool never wrote its line.</summary>
    public int MissingToolExecutions { get; init; }

    /// <summary>
    /// Calls the harness gave up on as <c>interrupted</c> (executed at most once, result unknown) after a fault, and
    /// whose tool in fact never ran.
    /// </summary>
    public int ToolCallsInterrupted { get; init; }

    /// <summary>Calls denied fail-closed because the permission policy could not be read during a fault (<c>gate_unavailable</c>).</summary>
    public int ToolCallsDeniedPolicyUnreachable { get; init; }

    /// <summary>Not stopped or failed when the grace period ran out.</summary>
    public int TurnsStuck { get; init; }

    /// <summary>Stored events (seq 1..N of a run) that a session's subscriber never handed on.</summary>
    public int EventsMissing { get; init; }

    public long EventsSeen { get; init; }

    public int Approvals { get; init; }

    public int SteersPushed { get; init; }

    /// <summary>Steering messages acknowledged by the session that are neither in the transcript nor still queued.</summary>
    public int SteersLost { get; init; }

    /// <summary>Steering messages that arrived after the turn had finished (still queued for the next run: not lost).</summary>
    public int SteersLate { get; init; }

    /// <summary>Grain calls of the driver that failed and were retried.</summary>
    public int Retries { get; init; }

    /// <summary>The longest time a turn went without an event or state change.</summary>
    public TimeSpan LongestPause { get; init; }

    public IReadOnlyList<string> FaultLog { get; init; } = [];

    /// <summary>Up to a few details on each non-zero count (session ids and what was wrong).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public TimeSpan Elapsed { get; init; }
}
