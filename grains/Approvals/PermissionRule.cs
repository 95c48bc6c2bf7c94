namespace Harness.Approvals;

/// <summary>One compiled rule of <c>iii-permissions.yaml</c>; constraints are sorted by field name (ordinal).</summary>
public sealed class PermissionRule(string ruleId, FunctionPattern function, string action, IReadOnlyList<ArgConstraint> constraints)
{
    public string RuleId { get; } = ruleId;

    public FunctionPattern Function { get; } = function;

    /// <summary><c>allow</c> or <c>deny</c>.</summary>
    public string Action { get; } = action;

    public IReadOnlyList<ArgConstraint> Constraints { get; } = constraints;

    /// <summary>The function matches and every constraint holds (AND).</summary>
    public bool Matches(string functionId, JsonElement args)
    {
        if (!Function.Matches(functionId))
        {
            return false;
        }
        foreach (var constraint in Constraints)
        {
            if (!constraint.IsSatisfiedBy(args))
            {
                return false;
            }
        }
        return true;
    }
}
