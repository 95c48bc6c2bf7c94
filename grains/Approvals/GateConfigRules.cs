namespace Harness.Approvals;

/// <summary>
/// The <c>rules</c> of the <c>approval-gate</c> configuration, compiled with the permissions-file parser (JSON is
/// YAML): the same entry shapes, plus <c>modes</c>. Errors name the rule and field, e.g. <c>rules[2].action</c>.
/// </summary>
public static class GateConfigRules
{
    /// <summary>Compiles a JSON array of rules; throws <see cref="PolicyFormatException"/>.</summary>
    public static PermissionRules Parse(string rulesJson)
    {
        ArgumentNullException.ThrowIfNull(rulesJson);
        return PermissionRuleParser.Parse($"{{\"rules\": {rulesJson}}}");
    }

    /// <summary>The allow rule <c>access_duration:"always"</c> adds for <paramref name="functionId"/>.</summary>
    public static JsonElement AlwaysRule(string functionId) => WireJson.ToElement(new System.Text.Json.Nodes.JsonObject
    {
        ["rule_id"] = RuleId(functionId),
        ["function"] = functionId,
        ["action"] = PolicyActions.Allow,
    });

    public static string RuleId(string functionId) => $"approved-always:{functionId}";
}
