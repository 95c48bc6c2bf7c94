using System.Text.Json;
using Harness.Approvals;
using Harness.Serialization;
using Xunit;

namespace Harness.Tests.Approvals;

/// <summary>Denial envelope shape and texts (<c>approval-gate/denial.test.ts</c>, spec §2.9, §2.10, §4.5).</summary>
public sealed class DenialResultsTests
{
    private static readonly JsonElement Args = WireJson.Parse("""{"path": "/etc/passwd", "password": "p", "session_id": "s1"}""");

    [Fact]
    public void Permissions_denial_without_constraint_blocks_the_function()
    {
        var verdict = new PermissionVerdict { Decision = "deny", RuleId = "state::set", RuleAction = "deny" };

        var result = DenialResults.Permissions("state::set", verdict, Args);

        const string reason = "Permission denied: state::set matched rule state::set. This function is blocked by policy; try a different function.";
        var text = Assert.Single(result.Content);
        Assert.Equal("text", text.Type);
        Assert.Equal(reason, text.Text);
        Assert.False(result.Terminate);
        Assert.True(result.IsErrorResult);
        var details = result.Details!.Value;
        Assert.Equal(
            WireJson.Parse($$"""
                {"schema_version":1,"status":"denied","denied_by":"permissions","function_id":"state::set",
                 "rule_id":"state::set","rule_action":"deny",
                 "args_excerpt":{"path":"/etc/passwd","password":"<redacted>","session_id":"s1"},
                 "reason":"{{reason}}"}
                """),
            details,
            JsonElement.DeepEquals);
        Assert.Equal(
            ["schema_version", "status", "denied_by", "function_id", "rule_id", "rule_action", "args_excerpt", "reason"],
            details.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("matches", "\"^/etc/\"", "on path matches \"^/etc/\".")]
    [InlineData("equals", "420", "on path equals 420.")]
    [InlineData("equals", "\"420\"", "on path equals \"420\".")]
    [InlineData("equals", "[\"rm\",\"-rf\"]", "on path equals [\"rm\",\"-rf\"].")]
    [InlineData("equals", "{\"a\": 1}", "on path equals {\"a\":1}.")]
    [InlineData("equals", "\"<é>\"", "on path equals \"<é>\".")]
    [InlineData("equals", "null", "on path equals null.")]
    public void Permissions_denial_with_constraint_names_field_operator_and_json_value(string op, string valueJson, string expected)
    {
        var verdict = new PermissionVerdict
        {
            Decision = "deny",
            RuleId = "no-etc",
            RuleAction = "deny",
            MatchedConstraint = new MatchedConstraint { Field = "path", Operator = op, Value = WireJson.Parse(valueJson) },
        };

        var result = DenialResults.Permissions("shell::fs::write", verdict, Args);

        Assert.Equal(
            $"Permission denied: shell::fs::write matched rule no-etc {expected} Try different arguments or use a different function.",
            result.Content[0].Text);
        var constraint = result.Details!.Value.GetProperty("matched_constraint");
        Assert.Equal("path", constraint.GetProperty("field").GetString());
        Assert.Equal(op, constraint.GetProperty("operator").GetString());
        Assert.True(JsonElement.DeepEquals(WireJson.Parse(valueJson), constraint.GetProperty("value")));
    }

    [Fact]
    public void Permissions_denial_from_a_parsed_rule_reports_the_yaml_value()
    {
        var rules = PermissionRuleParser.Parse("rules:\n  - {rule_id: chmod, function: \"f::x\", action: deny, args: {mode: {equals: 0o777}}}");
        var verdict = rules.Evaluate("f::x", WireJson.Parse("""{"mode": 511}"""));

        var result = DenialResults.Permissions("f::x", verdict, WireJson.Parse("""{"mode": 511}"""));

        Assert.Equal("Permission denied: f::x matched rule chmod on mode equals 511. Try different arguments or use a different function.", result.Content[0].Text);
    }

    [Fact]
    public void Gate_unavailable_uses_the_reason_verbatim()
    {
        var result = DenialResults.GateUnavailable("shell::exec", "trigger_failed: boom");

        Assert.Equal("trigger_failed: boom", result.Content[0].Text);
        Assert.False(result.Terminate);
        Assert.True(result.IsErrorResult);
        Assert.Equal(
            WireJson.Parse("""{"schema_version":1,"status":"denied","denied_by":"gate_unavailable","function_id":"shell::exec","reason":"trigger_failed: boom"}"""),
            result.Details!.Value,
            JsonElement.DeepEquals);
    }

    [Fact]
    public void Gate_unavailable_with_args_adds_a_redacted_excerpt()
    {
        var result = DenialResults.GateUnavailable("shell::exec", "policy unreachable: timeout", Args);

        Assert.Equal("<redacted>", result.Details!.Value.GetProperty("args_excerpt").GetProperty("password").GetString());
    }

    [Theory]
    [InlineData("deny", null, "Permission denied by user: denied", "denied", false)]
    [InlineData("deny", "not now", "Permission denied by user: not now", "not now", false)]
    [InlineData("aborted", null, "Function call aborted: session_aborted", "session_aborted", true)]
    [InlineData("aborted", "user_stopped", "Function call aborted: user_stopped", "user_stopped", true)]
    public void Decision_result_texts_and_details(string decision, string? reason, string text, string detailReason, bool terminate)
    {
        var result = DenialResults.FromDecision(new ApprovalDecision { Decision = decision, Reason = reason });

        Assert.Equal(text, Assert.Single(result.Content).Text);
        Assert.Equal(terminate, result.Terminate);
        Assert.Equal(
            WireJson.Parse($$"""{"approval_denied":true,"decision":"{{decision}}","reason":"{{detailReason}}"}"""),
            result.Details!.Value,
            JsonElement.DeepEquals);
    }

    [Fact]
    public void User_envelope_defaults_its_reason()
    {
        var envelope = DenialEnvelope.ForUser("shell::exec", null, Args);

        Assert.Equal("user", envelope.DeniedBy);
        Assert.Equal("Rejected by operator.", envelope.Reason);
        Assert.Null(envelope.RuleId);
        Assert.Equal("<redacted>", envelope.ArgsExcerpt!.Value.GetProperty("password").GetString());
    }

    [Fact]
    public void Envelope_round_trips_through_wire_json()
    {
        var envelope = DenialEnvelope.ForPermissions("f::x", "r", new MatchedConstraint { Field = "a", Operator = "equals", Value = WireJson.Parse("1") }, Args);

        var back = WireJson.Deserialize<DenialEnvelope>(WireJson.ToElement(envelope))!;

        Assert.Equal(envelope.Reason, back.Reason);
        Assert.Equal("a", back.MatchedConstraint!.Field);
        Assert.Equal(1, back.SchemaVersion);
    }
}
