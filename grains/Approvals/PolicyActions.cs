namespace Harness.Approvals;

/// <summary>The two rule actions of <c>iii-permissions.yaml</c>; there is no "ask" (no match means ask).</summary>
public static class PolicyActions
{
    public const string Allow = "allow";
    public const string Deny = "deny";
}
