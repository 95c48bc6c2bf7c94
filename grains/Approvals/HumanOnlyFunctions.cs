using System.Collections.Frozen;

namespace Harness.Approvals;

/// <summary>
/// Settings functions only a human may call (spec §4.4): an agent call is denied before any lookup, so a model
/// can never grant itself permissions. <c>approval::resolve</c> is not here; the YAML kernel rules deny it.
/// </summary>
public static class HumanOnlyFunctions
{
    /// <summary>The <c>rule_id</c> reported in the permissions envelope.</summary>
    public const string RuleId = "human_only_function";

    public static FrozenSet<string> All { get; } = FrozenSet.Create(
        StringComparer.Ordinal,
        "approval::set_mode",
        "approval::add_always_allow",
        "approval::remove_always_allow",
        "approval::approve_always",
        "approval::get_settings",
        "approval::clear_settings");

    public static bool Contains(string functionId) => All.Contains(functionId);

    /// <summary>The deny verdict the gate reports for these ids (no constraint).</summary>
    public static PermissionVerdict Verdict { get; } = new()
    {
        Decision = PermissionVerdict.Deny,
        RuleId = RuleId,
        RuleAction = PolicyActions.Deny,
    };
}
