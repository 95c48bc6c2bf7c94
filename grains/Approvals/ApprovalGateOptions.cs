namespace Harness.Approvals;

/// <summary>Per-session approval defaults (section <c>Harness:Permissions</c>, spec <c>permissions.default_mode</c>).</summary>
public sealed class ApprovalGateOptions
{
    /// <summary>
    /// Mode of a session whose mode was never set: <c>manual</c>, <c>auto</c> or <c>full</c>.
    /// Default: <c>manual</c>. Changes apply to such sessions on their next read.
    /// </summary>
    public string DefaultMode { get; set; } = ApprovalModes.Manual;
}
