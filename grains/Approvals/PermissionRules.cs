namespace Harness.Approvals;

/// <summary>A parsed permissions file: rules scanned top to bottom, first match wins, no match asks a human.</summary>
public sealed class PermissionRules(IReadOnlyList<PermissionRule> rules)
{
    public static PermissionRules Empty { get; } = new([]);

    public IReadOnlyList<PermissionRule> Rules { get; } = rules;

    /// <summary>Parses YAML text; see <see cref="PermissionRuleParser.Parse"/>.</summary>
    public static PermissionRules Parse(string yaml) => PermissionRuleParser.Parse(yaml);

    /// <summary>Spec <c>policy::check_permissions</c>: <c>allow</c> | <c>deny</c> (+ first constraint) | <c>needs_approval</c>.</summary>
    /// <param name="mode">The session's permission mode; rules with <c>modes</c> apply only when it is listed.</param>
    public PermissionVerdict Evaluate(string functionId, JsonElement args, string? mode = null)
    {
        foreach (var rule in Rules)
        {
            if (!rule.AppliesIn(mode) || !rule.Matches(functionId, args))
            {
                continue;
            }
            return rule.Action == PolicyActions.Allow
                ? new PermissionVerdict { Decision = PermissionVerdict.Allow, RuleId = rule.RuleId }
                : new PermissionVerdict
                {
                    Decision = PermissionVerdict.Deny,
                    RuleId = rule.RuleId,
                    RuleAction = PolicyActions.Deny,
                    MatchedConstraint = rule.Constraints.Count > 0 ? rule.Constraints[0].ToMatchedConstraint() : null,
                };
        }
        return new PermissionVerdict { Decision = PermissionVerdict.NeedsApproval };
    }
}
