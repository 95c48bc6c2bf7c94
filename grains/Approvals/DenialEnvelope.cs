using System.Text.Json.Serialization;

namespace Harness.Approvals;

/// <summary>
/// Structured denial (spec §4.5, <c>schema_version</c> 1) carried in a denied result's <c>details</c>;
/// providers recognise <c>status:"denied"</c> and prefix <c>[PERMISSION_DENIED]</c>.
/// </summary>
[GenerateSerializer]
public sealed record DenialEnvelope
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>Default reason of a user denial without a reason (spec <c>userDenyEnvelope</c>).</summary>
    public const string DefaultUserReason = "Rejected by operator.";

    [Id(0), JsonPropertyName("schema_version")] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [Id(1), JsonPropertyName("status")] public string Status { get; init; } = "denied";
    [Id(2), JsonPropertyName("denied_by")] public required string DeniedBy { get; init; }
    [Id(3), JsonPropertyName("function_id")] public required string FunctionId { get; init; }
    [Id(4), JsonPropertyName("rule_id")] public string? RuleId { get; init; }
    [Id(5), JsonPropertyName("rule_action")] public string? RuleAction { get; init; }
    [Id(6), JsonPropertyName("matched_constraint")] public MatchedConstraint? MatchedConstraint { get; init; }
    [Id(7), JsonPropertyName("args_excerpt")] public JsonElement? ArgsExcerpt { get; init; }
    [Id(8), JsonPropertyName("reason")] public required string Reason { get; init; }

    /// <summary>A policy deny: rule id, optional first constraint, redacted args and the spec reason text.</summary>
    public static DenialEnvelope ForPermissions(string functionId, string ruleId, MatchedConstraint? matched, JsonElement args) => new()
    {
        DeniedBy = Approvals.DeniedBy.Permissions,
        FunctionId = functionId,
        RuleId = ruleId,
        RuleAction = PolicyActions.Deny,
        MatchedConstraint = matched,
        ArgsExcerpt = Excerpt(args),
        Reason = matched is null
            ? $"Permission denied: {functionId} matched rule {ruleId}. This function is blocked by policy; try a different function."
            : $"Permission denied: {functionId} matched rule {ruleId} on {matched.Field} {matched.Operator} {Redaction.Stringify(matched.Value)}. Try different arguments or use a different function.",
    };

    /// <summary>A human rejected the call (spec <c>userDenyEnvelope</c>).</summary>
    public static DenialEnvelope ForUser(string functionId, string? reason, JsonElement args) => new()
    {
        DeniedBy = Approvals.DeniedBy.User,
        FunctionId = functionId,
        ArgsExcerpt = Excerpt(args),
        Reason = reason ?? DefaultUserReason,
    };

    /// <summary>The gate could not decide (policy unreachable, trigger failure): fail closed with the reason verbatim.</summary>
    public static DenialEnvelope ForGateUnavailable(string functionId, string reason, JsonElement? args = null) => new()
    {
        DeniedBy = Approvals.DeniedBy.GateUnavailable,
        FunctionId = functionId,
        ArgsExcerpt = args is { } value ? Excerpt(value) : null,
        Reason = reason,
    };

    private static JsonElement? Excerpt(JsonElement args) =>
        args.ValueKind == JsonValueKind.Undefined ? null : Redaction.Redact(args);
}
