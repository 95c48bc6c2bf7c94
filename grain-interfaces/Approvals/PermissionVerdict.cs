namespace Harness.Approvals;

/// <summary>
/// <c>{decision:"allow", rule_id}</c> | <c>{decision:"deny", rule_id, rule_action:"deny", matched_constraint?}</c>
/// | <c>{decision:"needs_approval"}</c> (spec §3.1).
/// </summary>
[GenerateSerializer]
public sealed record PermissionVerdict
{
    [Id(0), JsonPropertyName("decision")] public required string Decision { get; init; }
    [Id(1), JsonPropertyName("rule_id")] public string? RuleId { get; init; }
    [Id(2), JsonPropertyName("rule_action")] public string? RuleAction { get; init; }
    [Id(3), JsonPropertyName("matched_constraint")] public MatchedConstraint? MatchedConstraint { get; init; }

    public const string Allow = "allow";
    public const string Deny = "deny";
    public const string NeedsApproval = "needs_approval";
}

[GenerateSerializer]
public sealed record MatchedConstraint
{
    [Id(0), JsonPropertyName("field")] public required string Field { get; init; }
    [Id(1), JsonPropertyName("operator")] public required string Operator { get; init; }
    [Id(2), JsonPropertyName("value")] public JsonElement Value { get; init; }
}
