using Harness.Approvals;
using Xunit;

namespace Harness.Tests.Approvals;

/// <summary>Malformed permission files are rejected as a whole, naming the rule index and field.</summary>
public sealed class PermissionRuleParserTests
{
    [Theory]
    [InlineData("rules:\n  - \"!\"", "rules[0]", "deny shorthand")]
    [InlineData("rules:\n  - \"state::get\"\n  - action: allow", "rules[1].function", "is required")]
    [InlineData("rules:\n  - function: \"\"\n    action: allow", "rules[0].function", "is required")]
    [InlineData("rules:\n  - function: 42\n    action: allow", "rules[0].function", "non-empty string")]
    [InlineData("rules:\n  - function: \"f::x\"", "rules[0].action", "must be allow|deny")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: ask", "rules[0].action", "must be allow|deny")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: Allow", "rules[0].action", "must be allow|deny")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: true", "rules[0].action", "must be allow|deny")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: allow\n    args:\n      p: { matches: \"(\" }", "rules[0].args.p.matches", "invalid regex")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: allow\n    args:\n      p: { matches: 5 }", "rules[0].args.p.matches", "must be a string regex")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: allow\n    args:\n      p: { contains: x }", "rules[0].args.p", "unknown constraint shape")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: allow\n    args:\n      p: { equals: 1, matches: x }", "rules[0].args.p", "unknown constraint shape")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: allow\n    args:\n      p: \"/tmp\"", "rules[0].args.p", "unknown constraint shape")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: allow\n    args:\n      p: {}", "rules[0].args.p", "unknown constraint shape")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: allow\n    args: [p]", "rules[0].args", "must be a mapping")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: allow\n    args:\n      p: { equals: .inf }", "rules[0].args.p.equals", "not representable")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: allow\n    args:\n      p: { equals: !custom x }", "rules[0].args.p.equals", "unsupported YAML tag")]
    [InlineData("rules:\n  - \"state::get\"\n  -", "rules[1]", "null entry")]
    [InlineData("rules:\n  - null", "rules[0]", "null entry")]
    [InlineData("rules:\n  - ~", "rules[0]", "null entry")]
    [InlineData("rules:\n  - 42", "rules[0]", "must be a string")]
    [InlineData("rules:\n  - [a, b]", "rules[0]", "must be a string")]
    [InlineData("rules:\n  - \"\"", "rules[0]", "must not be empty")]
    [InlineData("rules:\n  - !state::set", "rules[0]", "unsupported YAML tag")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: allow\n    arg:\n      p: { equals: 1 }", "rules[0].arg", "unknown key")]
    [InlineData("rules:\n  - function: \"f::x\"\n    action: allow\n    rule_id: 7", "rules[0].rule_id", "must be a string")]
    [InlineData("rules: \"state::get\"", "rules", "must be a list")]
    [InlineData("version: 1", "rules", "is required")]
    [InlineData("rule:\n  - \"state::get\"", "rule", "unknown top-level key")]
    [InlineData("- \"state::get\"", "(root)", "must be a mapping")]
    [InlineData("", "(file)", "is empty")]
    [InlineData("# only a comment\n", "(file)", "is empty")]
    [InlineData("rules: []\n---\nrules: []", "(file)", "more than one YAML document")]
    public void Malformed_file_is_rejected_naming_rule_and_field(string yaml, string location, string problem)
    {
        var ex = Assert.Throws<PolicyFormatException>(() => PermissionRuleParser.Parse(yaml));

        Assert.Equal(location, ex.Location);
        Assert.Contains(problem, ex.Problem);
        Assert.Equal($"{ex.Location}: {ex.Problem}", ex.Message);
    }

    [Fact]
    public void Bad_action_message_names_index_and_field()
    {
        const string yaml = """
            rules:
              - "state::get"
              - "!state::set"
              - function: "shell::exec"
                action: prompt
            """;

        var ex = Assert.Throws<PolicyFormatException>(() => PermissionRuleParser.Parse(yaml));

        Assert.Equal("rules[2].action: must be allow|deny", ex.Message);
    }

    [Theory]
    [InlineData("rules: [\"a\"\n")]
    [InlineData("rules:\n  - function: \"f::x\n")]
    [InlineData("rules:\n\t- \"a\"")]
    [InlineData("rules:\n  - {function: f, action: allow, function: g}")]
    public void Yaml_syntax_error_is_rejected(string yaml)
    {
        var ex = Assert.Throws<PolicyFormatException>(() => PermissionRuleParser.Parse(yaml));

        Assert.False(string.IsNullOrWhiteSpace(ex.Location));
    }

    [Fact]
    public void One_bad_rule_rejects_the_whole_file()
    {
        const string yaml = """
            rules:
              - "!state::set"
              - "state::get"
              - function: "shell::exec"
                action: allow
                args:
                  command: { matches: "[unclosed" }
            """;

        Assert.Throws<PolicyFormatException>(() => PermissionRuleParser.Parse(yaml));
    }

    [Fact]
    public void Version_is_optional_and_ignored()
    {
        Assert.Single(PermissionRuleParser.Parse("version: 7\nrules: [\"a::b\"]").Rules);
        Assert.Single(PermissionRuleParser.Parse("rules: [\"a::b\"]").Rules);
    }

    [Fact]
    public void Rules_keep_file_order_and_shape()
    {
        const string yaml = """
            version: 1
            rules:
              - "shell::fs::ls"
              - "!state::set"
              - rule_id: tmp-writes
                function: "shell::fs::*"
                action: allow
                args:
                  path: { matches: "^/srv/scratch/" }
                  mode: { equals: 420 }
            """;

        var rules = PermissionRuleParser.Parse(yaml).Rules;

        Assert.Equal(["shell::fs::ls", "state::set", "tmp-writes"], rules.Select(r => r.RuleId));
        Assert.Equal(["allow", "deny", "allow"], rules.Select(r => r.Action));
        Assert.Equal("shell::fs::*", rules[2].Function.Pattern);
        Assert.Equal(["mode", "path"], rules[2].Constraints.Select(c => c.Field));
        Assert.Equal("420", rules[2].Constraints[0].Value.GetRawText());
    }

    [Fact]
    public void Empty_args_and_null_rule_id_are_accepted()
    {
        const string yaml = "rules:\n  - {function: \"f::x\", action: allow, args: , rule_id: }\n  - {function: \"f::y\", action: deny, args: {}}";

        var rules = PermissionRuleParser.Parse(yaml).Rules;

        Assert.Equal("f::x", rules[0].RuleId);
        Assert.Empty(rules[0].Constraints);
        Assert.Empty(rules[1].Constraints);
    }

    [Fact]
    public void Cyclic_alias_is_rejected_instead_of_overflowing()
    {
        // A self-referencing anchor must not recurse forever; YamlDotNet may reject it while loading.
        const string yaml = "rules:\n  - function: \"f::x\"\n    action: allow\n    args:\n      p: { equals: &a [*a] }";

        Assert.Throws<PolicyFormatException>(() => PermissionRuleParser.Parse(yaml));
    }
}
