namespace Harness.Approvals;

/// <summary>Per-session approval defaults (section <c>Harness:Permissions</c>, spec <c>permissions.default_mode</c>).</summary>
public sealed class ApprovalGateOptions
{
    /// <summary>
    /// Mode of a session whose mode was never set: <c>manual</c>, <c>auto</c> or <c>full</c>.
    /// Default: <c>manual</c>. Changes apply to such sessions on their next read.
    /// </summary>
    public string DefaultMode { get; set; } = ApprovalModes.Manual;

    /// <summary>
    /// Reads of a session's settings before the gate fails closed (<c>gate_unavailable</c>): a silo that just died or
    /// PostgreSQL restarting fails the read for a moment, and a retry soon after finds the settings. Default 4; 1 = no retry.
    /// </summary>
    public int SettingsReadAttempts { get; set; } = 4;

    /// <summary>Wait before the second read; doubles per read after it. Default 250 ms (0.25 + 0.5 + 1 s for 4 reads).</summary>
    public TimeSpan SettingsReadBackoff { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// All reads and waits of one check together (each read also within <c>CheckTimeout</c>): no retry starts past it.
    /// Default 10 s, well under Orleans' 30 s call timeout, so a tool call is never held longer than a call could wait.
    /// </summary>
    public TimeSpan SettingsReadBudget { get; set; } = TimeSpan.FromSeconds(10);
}
