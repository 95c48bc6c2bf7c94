using System.Collections.Frozen;

namespace Harness.Approvals;

/// <summary>
/// Functions an agent may never call, whatever the session's mode or grants and whatever the YAML says (the kernel
/// rules of harness-core §3.2 that guard the harness's own control plane): handing out provider keys, declaring
/// providers, and driving hooks. The deny names the function as <c>rule_id</c>, as the YAML kernel rule <c>"!fn"</c> does.
/// </summary>
public static class KernelDeniedFunctions
{
    public static FrozenSet<string> All { get; } = FrozenSet.Create(
        StringComparer.Ordinal,
        "harness::provider::resolve",
        "harness::provider::register",
        "hook-fanout::publish_collect");

    public static bool Contains(string functionId) => All.Contains(functionId);

    public static PermissionVerdict Verdict(string functionId) => new()
    {
        Decision = PermissionVerdict.Deny,
        RuleId = functionId,
        RuleAction = PolicyActions.Deny,
    };
}
