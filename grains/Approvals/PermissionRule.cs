namespace Harness.Approvals;

/// <summary>One compiled rule of <c>iii-permissions.yaml</c>; constraints are sorted by field name (ordinal).</summary>
public sealed class PermissionRule(
    string ruleId, FunctionPattern function, string action, IReadOnlyList<ArgConstraint> constraints, IReadOnlyList<string>? modes = null)
{
    public string RuleId { get; } = ruleId;

    public FunctionPattern Function { get; } = function;

    /// <summary><c>allow</c> or <c>deny</c>.</summary>
    public string Action { get; } = action;

    public IReadOnlyList<ArgConstraint> Constraints { get; } = constraints;

    /// <summary>The session modes the rule applies in (<c>modes:</c>); null = every mode.</summary>
    public IReadOnlyList<string>? Modes { get; } = modes;

    /// <summary>A rule scoped to modes applies only when the session's mode is known and listed.</summary>
    public bool AppliesIn(string? mode) => Modes is null || (mode is not null && Modes.Contains(mode));

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
