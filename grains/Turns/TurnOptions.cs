namespace Harness.Turns;

/// <summary>Turn FSM settings, bound from <c>Harness:Turn</c>.</summary>
public sealed class TurnOptions
{
    /// <summary>
    /// Period of the durable wake-up reminder of an in-flight turn: how soon a turn nobody is calling resumes after its
    /// silo died. Default 5 s (the silo lowers Orleans' 1-minute reminder minimum to match, which Orleans logs as a
    /// warning); only in-flight turns hold one, and a tick on a healthy turn is a no-op.
    /// </summary>
    public TimeSpan WakeReminderPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Events kept in the turn's row for subscribers that (re)subscribe mid-run: the current run's, up to this many
    /// (streamed deltas are never kept). Default 256.
    /// </summary>
    public int StoredEventsLimit { get; set; } = 256;

    /// <summary>
    /// An event subscriber that has not renewed for this long is dropped (subscribers renew every
    /// <see cref="Harness.Events.SessionEventSubscription.RenewPeriod"/>). Default 10 s.
    /// </summary>
    public TimeSpan EventSubscriberExpiry { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a step that failed with a transient error before the turn fails. Default 5.</summary>
    public int MaxTransientRetries { get; set; } = 5;

    /// <summary>Backoff of the first retry; doubles per attempt. Default 250 ms.</summary>
    public TimeSpan TransientBackoff { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Message-update deltas are merged for at most this long. Default 60 ms (spec coalescer).</summary>
    public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(60);

    /// <summary>Merged deltas are flushed at this many characters. Default 4096.</summary>
    public int CoalesceMaxChars { get; set; } = 4096;

    /// <summary>System prompt used when a run gives none. Default: a short agent preamble.</summary>
    public string DefaultSystemPrompt { get; set; } =
        "You are an agent on the iii bus. Call iii functions with the agent_trigger tool; explain what you do.";
}
