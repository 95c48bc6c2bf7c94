namespace Harness.Approvals;

/// <summary>Argument constraint operators of <c>iii-permissions.yaml</c>.</summary>
public static class ConstraintOperators
{
    public const string EqualsOperator = "equals";
    public const string MatchesOperator = "matches";
}
