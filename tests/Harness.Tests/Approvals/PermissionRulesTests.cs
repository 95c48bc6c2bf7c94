using Harness.Approvals;
using Harness.Serialization;
using Xunit;

namespace Harness.Tests.Approvals;

/// <summary>The adversarial policy cases of <c>harness/policy.test.ts</c>: matching, strictness, first match.</summary>
public sealed class PermissionRulesTests
{
    private static PermissionVerdict Check(string yaml, string functionId, string args = "{}") =>
        PermissionRuleParser.Parse(yaml).Evaluate(functionId, WireJson.Parse(args));

    private static PermissionVerdict Check(string yaml, string functionId, System.Text.Json.JsonElement args) =>
        PermissionRuleParser.Parse(yaml).Evaluate(functionId, args);

    [Fact]
    public void Bare_string_rule_allows_exact_function()
    {
        var verdict = Check("rules: [\"shell::fs::ls\"]", "shell::fs::ls");

        Assert.Equal(PermissionVerdict.Allow, verdict.Decision);
        Assert.Equal("shell::fs::ls", verdict.RuleId);
        Assert.Null(verdict.RuleAction);
    }

    [Theory]
    [InlineData("shell::fs::lsx")]
    [InlineData("shell::fs::l")]
    [InlineData("Shell::fs::ls")]
    [InlineData("shell::fs::ls ")]
    [InlineData("shell::fs::ls\n")]
    public void Bare_string_rule_is_exact_equality(string functionId) =>
        Assert.Equal(PermissionVerdict.NeedsApproval, Check("rules: [\"shell::fs::ls\"]", functionId).Decision);

    [Fact]
    public void Bang_rule_denies_with_function_as_rule_id()
    {
        var verdict = Check("rules: [\"!state::set\"]", "state::set");

        Assert.Equal(PermissionVerdict.Deny, verdict.Decision);
        Assert.Equal("state::set", verdict.RuleId);
        Assert.Equal("deny", verdict.RuleAction);
        Assert.Null(verdict.MatchedConstraint);
    }

    [Fact]
    public void Bang_glob_rule_keeps_the_glob_as_rule_id()
    {
        var verdict = Check("rules: [\"!oauth::*::login\"]", "oauth::github::login");

        Assert.Equal(PermissionVerdict.Deny, verdict.Decision);
        Assert.Equal("oauth::*::login", verdict.RuleId);
    }

    [Fact]
    public void Unmatched_call_needs_approval()
    {
        var verdict = Check("rules: [\"state::get\", \"!state::set\"]", "shell::exec");

        Assert.Equal(PermissionVerdict.NeedsApproval, verdict.Decision);
        Assert.Null(verdict.RuleId);
    }

    [Theory]
    [InlineData("rules: []")]
    [InlineData("rules:")]
    [InlineData("version: 1\nrules:\n# - \"shell::exec\"\n")]
    public void File_without_rules_asks_for_everything(string yaml) =>
        Assert.Equal(PermissionVerdict.NeedsApproval, Check(yaml, "shell::exec").Decision);

    [Fact]
    public void Object_rule_id_defaults_to_function_when_absent_or_empty()
    {
        const string yaml = """
            rules:
              - function: "a::one"
                action: allow
              - rule_id: ""
                function: "a::two"
                action: deny
              - rule_id: named
                function: "a::three"
                action: allow
            """;

        Assert.Equal("a::one", Check(yaml, "a::one").RuleId);
        Assert.Equal("a::two", Check(yaml, "a::two").RuleId);
        Assert.Equal("named", Check(yaml, "a::three").RuleId);
    }

    [Theory]
    [InlineData("shell::*", "shell::exec", true)]
    [InlineData("shell::*", "shell::fs::ls", true)]
    [InlineData("shell::*", "shell::", true)]
    [InlineData("shell::*", "Xshell::exec", false)]
    [InlineData("shell::*", "shell:exec", false)]
    [InlineData("shell::*", "SHELL::exec", false)]
    [InlineData("*::list", "models::list", true)]
    [InlineData("*::list", "a::b::list", true)]
    [InlineData("*::list", "models::listing", false)]
    [InlineData("*::list", "models::list::x", false)]
    [InlineData("*", "anything::at::all", true)]
    [InlineData("*", "x", true)]
    [InlineData("::*", "::x", true)]
    [InlineData("::*", "a::x", false)]
    [InlineData("oauth::*::login", "oauth::github::login", true)]
    [InlineData("oauth::*::login", "oauth::a::b::login", true)]
    [InlineData("oauth::*::login", "oauth::github::login::x", false)]
    [InlineData("a.b::*", "a.b::c", true)]
    [InlineData("a.b::*", "aXb::c", false)]
    [InlineData("fn(x)+::*", "fn(x)+::y", true)]
    [InlineData("fn(x)+::*", "fnxx::y", false)]
    [InlineData("[ab]::*", "a::y", false)]
    [InlineData("**::x", "a::x", true)]
    public void Glob_is_anchored_and_only_star_is_special(string pattern, string functionId, bool matches)
    {
        var verdict = Check($"rules: [\"{pattern}\"]", functionId);

        Assert.Equal(matches ? PermissionVerdict.Allow : PermissionVerdict.NeedsApproval, verdict.Decision);
    }

    [Theory]
    [InlineData("shell::exec\n")]
    [InlineData("shell::exec\nrm -rf /")]
    [InlineData("shell::exec\r")]
    [InlineData("shell::exec\u2028x")]
    [InlineData("\nshell::exec")]
    public void Function_id_with_a_line_break_never_matches_a_glob(string functionId)
    {
        Assert.Equal(PermissionVerdict.NeedsApproval, Check("rules: [\"shell::*\"]", functionId).Decision);
        Assert.Equal(PermissionVerdict.NeedsApproval, Check("rules: [\"*\"]", functionId).Decision);
        // A deny glob does not catch it either: it falls through to a human, never to an allow.
        Assert.Equal(PermissionVerdict.NeedsApproval, Check("rules: [\"!shell::*\"]", functionId).Decision);
    }

    [Theory]
    [InlineData("420", true)]
    [InlineData("420.0", true)]
    [InlineData("4.2e2", true)]
    [InlineData("\"420\"", false)]
    [InlineData("421", false)]
    [InlineData("[420]", false)]
    [InlineData("null", false)]
    public void Equals_number_is_type_strict(string actual, bool matches)
    {
        const string yaml = """
            rules:
              - function: "shell::fs::chmod"
                action: deny
                args:
                  mode: { equals: 420 }
            """;

        var verdict = Check(yaml, "shell::fs::chmod", $$"""{"mode": {{actual}}}""");

        Assert.Equal(matches ? PermissionVerdict.Deny : PermissionVerdict.NeedsApproval, verdict.Decision);
    }

    [Theory]
    [InlineData("\"420\"", "420", false)]
    [InlineData("\"420\"", "\"420\"", true)]
    [InlineData("'420'", "\"420\"", true)]
    [InlineData("!!str 420", "\"420\"", true)]
    [InlineData("!!str 420", "420", false)]
    [InlineData("0x1A4", "420", true)]
    [InlineData("0o644", "420", true)]
    [InlineData("true", "true", true)]
    [InlineData("True", "true", true)]
    [InlineData("true", "\"true\"", false)]
    [InlineData("\"true\"", "true", false)]
    [InlineData("false", "0", false)]
    [InlineData("~", "null", true)]
    [InlineData("null", "null", true)]
    [InlineData("null", "\"null\"", false)]
    [InlineData("\"\"", "\"\"", true)]
    [InlineData("[a, 1]", "[\"a\", 1]", true)]
    [InlineData("[a, 1]", "[1, \"a\"]", false)]
    [InlineData("[a, 1]", "[\"a\", 1, 2]", false)]
    [InlineData("{a: 1, b: [x]}", "{\"b\": [\"x\"], \"a\": 1}", true)]
    [InlineData("{a: 1}", "{\"a\": 1, \"b\": 2}", false)]
    [InlineData("{a: 1}", "{\"a\": \"1\"}", false)]
    [InlineData("{}", "{}", true)]
    [InlineData("[]", "{}", false)]
    public void Equals_is_deep_and_type_strict(string expectedYaml, string actual, bool matches)
    {
        var yaml = $$"""
            rules:
              - function: "f::x"
                action: allow
                args:
                  v: { equals: {{expectedYaml}} }
            """;

        var verdict = Check(yaml, "f::x", $$"""{"v": {{actual}}}""");

        Assert.Equal(matches ? PermissionVerdict.Allow : PermissionVerdict.NeedsApproval, verdict.Decision);
    }

    [Theory]
    [InlineData("\"420\"", true)]
    [InlineData("\"x420x\"", true)]
    [InlineData("420", false)]
    [InlineData("[\"420\"]", false)]
    [InlineData("{\"v\": \"420\"}", false)]
    [InlineData("true", false)]
    [InlineData("null", false)]
    public void Matches_only_matches_strings(string actual, bool matches)
    {
        const string yaml = """
            rules:
              - function: "f::x"
                action: allow
                args:
                  v: { matches: "42" }
            """;

        var verdict = Check(yaml, "f::x", $$"""{"v": {{actual}}}""");

        Assert.Equal(matches ? PermissionVerdict.Allow : PermissionVerdict.NeedsApproval, verdict.Decision);
    }

    [Theory]
    [InlineData("/srv/scratch/a.txt", true)]
    [InlineData("/home/srv/scratch/a.txt", false)]
    [InlineData("/srv/scratchpad", false)]
    public void Matches_is_a_search_anchored_only_where_the_pattern_says(string path, bool matches)
    {
        const string yaml = """
            rules:
              - function: "shell::fs::write"
                action: allow
                args:
                  path: { matches: "^/srv/scratch/" }
              - function: "shell::fs::read"
                action: allow
                args:
                  path: { matches: "scratch" }
            """;

        Assert.Equal(matches ? PermissionVerdict.Allow : PermissionVerdict.NeedsApproval,
            Check(yaml, "shell::fs::write", $$"""{"path": "{{path}}"}""").Decision);
        // Unanchored: any occurrence is enough.
        Assert.Equal(PermissionVerdict.Allow, Check(yaml, "shell::fs::read", $$"""{"path": "{{path}}"}""").Decision);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"other\": \"x\"}")]
    [InlineData("[\"x\"]")]
    [InlineData("\"x\"")]
    [InlineData("null")]
    [InlineData("42")]
    public void Missing_field_is_a_mismatch(string args)
    {
        const string yaml = """
            rules:
              - function: "f::x"
                action: allow
                args:
                  v: { matches: ".*" }
              - function: "f::y"
                action: allow
                args:
                  v: { equals: null }
            """;

        Assert.Equal(PermissionVerdict.NeedsApproval, Check(yaml, "f::x", args).Decision);
        Assert.Equal(PermissionVerdict.NeedsApproval, Check(yaml, "f::y", args).Decision);
    }

    [Fact]
    public void Missing_field_is_a_mismatch_for_undefined_args()
    {
        const string yaml = "rules:\n  - {function: \"f::x\", action: allow, args: {v: {matches: \".*\"}}}\n  - \"f::y\"";

        Assert.Equal(PermissionVerdict.NeedsApproval, Check(yaml, "f::x", default(System.Text.Json.JsonElement)).Decision);
        Assert.Equal(PermissionVerdict.Allow, Check(yaml, "f::y", default(System.Text.Json.JsonElement)).Decision);
    }

    [Fact]
    public void Rule_without_constraints_matches_any_args_shape()
    {
        Assert.Equal(PermissionVerdict.Allow, Check("rules: [\"f::x\"]", "f::x", "[1, 2]").Decision);
        Assert.Equal(PermissionVerdict.Allow, Check("rules: [\"f::x\"]", "f::x", "\"text\"").Decision);
    }

    [Theory]
    [InlineData("__proto__")]
    [InlineData("constructor")]
    [InlineData("toString")]
    [InlineData("hasOwnProperty")]
    public void Inherited_object_keys_are_never_fields(string field)
    {
        var yaml = $$"""
            rules:
              - function: "f::x"
                action: allow
                args:
                  {{field}}: { matches: "" }
            """;

        Assert.Equal(PermissionVerdict.NeedsApproval, Check(yaml, "f::x", "{}").Decision);
        Assert.Equal(PermissionVerdict.Allow, Check(yaml, "f::x", $$"""{"{{field}}": "own"}""").Decision);
    }

    [Fact]
    public void Field_names_are_case_sensitive()
    {
        const string yaml = "rules:\n  - {function: \"f::x\", action: allow, args: {path: {matches: \"^/tmp\"}}}";

        Assert.Equal(PermissionVerdict.NeedsApproval, Check(yaml, "f::x", """{"Path": "/tmp/x"}""").Decision);
    }

    [Theory]
    [InlineData("""{"path": "/srv/scratch/a", "mode": 420}""", true)]
    [InlineData("""{"path": "/srv/scratch/a", "mode": 511}""", false)]
    [InlineData("""{"path": "/etc/passwd", "mode": 420}""", false)]
    [InlineData("""{"path": "/srv/scratch/a"}""", false)]
    public void Constraints_are_anded(string args, bool matches)
    {
        const string yaml = """
            rules:
              - rule_id: tmp-writes
                function: "shell::fs::*"
                action: allow
                args:
                  path: { matches: "^/srv/scratch/" }
                  mode: { equals: 420 }
            """;

        var verdict = Check(yaml, "shell::fs::write", args);

        Assert.Equal(matches ? PermissionVerdict.Allow : PermissionVerdict.NeedsApproval, verdict.Decision);
        if (matches)
        {
            Assert.Equal("tmp-writes", verdict.RuleId);
        }
    }

    [Fact]
    public void First_match_wins_so_a_catch_all_before_a_deny_shadows_it()
    {
        var verdict = Check("rules: [\"*\", \"!state::set\"]", "state::set");

        Assert.Equal(PermissionVerdict.Allow, verdict.Decision);
        Assert.Equal("*", verdict.RuleId);
    }

    [Fact]
    public void First_match_wins_so_a_deny_before_an_allow_denies()
    {
        var verdict = Check("rules: [\"!shell::exec\", \"shell::*\"]", "shell::exec");

        Assert.Equal(PermissionVerdict.Deny, verdict.Decision);
        Assert.Equal(PermissionVerdict.Allow, Check("rules: [\"!shell::exec\", \"shell::*\"]", "shell::fs::ls").Decision);
    }

    [Theory]
    [InlineData("""{"command": "rm -rf /"}""", "deny")]
    [InlineData("""{"command": "rm  -rf /"}""", "needs_approval")]
    [InlineData("""{"command": ["rm", "-rf", "/"]}""", "needs_approval")]
    [InlineData("""{"cmd": "rm -rf /"}""", "needs_approval")]
    public void Constrained_deny_can_be_dodged_by_different_arguments(string args, string expected)
    {
        const string yaml = """
            rules:
              - function: "shell::exec"
                action: deny
                args:
                  command: { equals: "rm -rf /" }
            """;

        Assert.Equal(expected, Check(yaml, "shell::exec", args).Decision);
    }

    [Fact]
    public void Deny_reports_the_first_constraint_in_field_name_order()
    {
        const string yaml = """
            rules:
              - rule_id: no-etc
                function: "shell::fs::write"
                action: deny
                args:
                  zeta: { equals: 1 }
                  path: { matches: "^/etc/" }
                  Alpha: { equals: [1, "two"] }
            """;

        var verdict = Check(yaml, "shell::fs::write", """{"zeta": 1, "path": "/etc/passwd", "Alpha": [1, "two"]}""");

        Assert.Equal(PermissionVerdict.Deny, verdict.Decision);
        Assert.Equal("no-etc", verdict.RuleId);
        Assert.Equal("deny", verdict.RuleAction);
        // Ordinal order: uppercase sorts before lowercase.
        Assert.Equal("Alpha", verdict.MatchedConstraint!.Field);
        Assert.Equal("equals", verdict.MatchedConstraint.Operator);
        Assert.Equal("""[1,"two"]""", verdict.MatchedConstraint.Value.GetRawText());
    }

    [Fact]
    public void Deny_reports_a_matches_constraint_with_its_pattern()
    {
        const string yaml = """
            rules:
              - function: "shell::fs::write"
                action: deny
                args:
                  path: { matches: "^/etc/" }
            """;

        var verdict = Check(yaml, "shell::fs::write", """{"path": "/etc/passwd"}""");

        Assert.Equal("path", verdict.MatchedConstraint!.Field);
        Assert.Equal("matches", verdict.MatchedConstraint.Operator);
        Assert.Equal("^/etc/", verdict.MatchedConstraint.Value.GetString());
    }

    [Fact]
    public void Allow_never_reports_a_constraint()
    {
        const string yaml = "rules:\n  - {function: \"f::x\", action: allow, args: {v: {equals: 1}}}";

        var verdict = Check(yaml, "f::x", """{"v": 1}""");

        Assert.Equal(PermissionVerdict.Allow, verdict.Decision);
        Assert.Null(verdict.MatchedConstraint);
    }

    [Fact]
    public void Args_constraints_see_routing_envelope_fields()
    {
        const string yaml = "rules:\n  - {function: \"f::x\", action: deny, args: {session_id: {equals: \"s-bad\"}}}";

        Assert.Equal(PermissionVerdict.Deny, Check(yaml, "f::x", """{"session_id": "s-bad", "x": 1}""").Decision);
    }
}
