using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Harness.Approvals;

/// <summary>
/// Parses <c>iii-permissions.yaml</c> (spec §3.2). Any malformed rule rejects the whole file with a
/// <see cref="PolicyFormatException"/> naming the rule and field, because a half-loaded policy could allow
/// what a dropped deny rule was meant to block.
/// </summary>
/// <remarks>
/// Stricter than the original in two ways, both to fail loudly rather than silently widen an allow rule:
/// unknown keys (e.g. a mistyped <c>arg:</c>) are rejected, and so are an empty file or a file without <c>rules</c>.
/// <c>matches</c> patterns use the .NET regex flavour (close to JS for the usual anchors and classes;
/// note <c>$</c> also matches before a final newline, so use <c>\z</c> when that matters).
/// </remarks>
public static class PermissionRuleParser
{
    private const string RulesKey = "rules";
    private const string VersionKey = "version";
    private const string ShapeHint = "must be a string (\"fn\" or \"!fn\") or a mapping {rule_id?, function, action, modes?, args?}";

    public static PermissionRules Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var root = LoadSingleDocument(yaml);
        if (root is not YamlMappingNode top)
        {
            throw new PolicyFormatException("(root)", "must be a mapping with a 'rules:' list");
        }

        YamlNode? rulesNode = null;
        foreach (var (keyNode, value) in top.Children)
        {
            var key = KeyName(keyNode, "(root)");
            switch (key)
            {
                case VersionKey:
                    break; // optional and ignored, as in the original
                case RulesKey:
                    rulesNode = value;
                    break;
                default:
                    throw new PolicyFormatException(key, "unknown top-level key (expected version|rules)");
            }
        }

        if (rulesNode is null)
        {
            throw new PolicyFormatException(RulesKey, "is required (a list of rules; use 'rules: []' for none)");
        }
        if (YamlJson.IsNull(rulesNode, RulesKey))
        {
            return PermissionRules.Empty; // "rules:" with every entry commented out
        }
        if (rulesNode is not YamlSequenceNode sequence)
        {
            throw new PolicyFormatException(RulesKey, "must be a list");
        }

        var rules = new List<PermissionRule>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            rules.Add(ParseRule(sequence.Children[i], $"{RulesKey}[{i}]"));
        }
        return new PermissionRules(rules);
    }

    private static YamlNode? LoadSingleDocument(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new PolicyFormatException($"line {ex.Start.Line}, column {ex.Start.Column}", $"YAML syntax error: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            // YamlDotNet reports duplicate mapping keys this way.
            throw new PolicyFormatException("(file)", $"YAML error: {ex.Message}");
        }
        return stream.Documents.Count switch
        {
            0 => throw new PolicyFormatException("(file)", "is empty (expected a 'rules:' list)"),
            1 => stream.Documents[0].RootNode,
            _ => throw new PolicyFormatException("(file)", "contains more than one YAML document"),
        };
    }

    private static PermissionRule ParseRule(YamlNode node, string location) => node switch
    {
        YamlScalarNode scalar => ParseShorthand(scalar, location),
        YamlMappingNode mapping => ParseMapping(mapping, location),
        _ => throw new PolicyFormatException(location, ShapeHint),
    };

    private static PermissionRule ParseShorthand(YamlScalarNode scalar, string location)
    {
        if (YamlJson.IsNull(scalar, location))
        {
            throw new PolicyFormatException(location, "null entry; " + ShapeHint);
        }
        var text = YamlJson.AsString(scalar, location) ?? throw new PolicyFormatException(location, ShapeHint);
        if (text.StartsWith('!'))
        {
            var denied = text[1..];
            if (denied.Length == 0)
            {
                throw new PolicyFormatException(location, "deny shorthand must be \"!<function_id>\"");
            }
            return new PermissionRule(denied, new FunctionPattern(denied), PolicyActions.Deny, []);
        }
        if (text.Length == 0)
        {
            throw new PolicyFormatException(location, "function id must not be empty");
        }
        return new PermissionRule(text, new FunctionPattern(text), PolicyActions.Allow, []);
    }

    private static PermissionRule ParseMapping(YamlMappingNode mapping, string location)
    {
        string? function = null, action = null, ruleId = null;
        YamlNode? args = null;
        IReadOnlyList<string>? modes = null;
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = KeyName(keyNode, location);
            var at = $"{location}.{key}";
            switch (key)
            {
                case "function":
                    function = YamlJson.AsString(value, at);
                    if (string.IsNullOrEmpty(function))
                    {
                        throw new PolicyFormatException(at, "is required and must be a non-empty string");
                    }
                    break;
                case "action":
                    action = YamlJson.AsString(value, at);
                    if (action is not (PolicyActions.Allow or PolicyActions.Deny))
                    {
                        throw new PolicyFormatException(at, "must be allow|deny");
                    }
                    break;
                case "rule_id":
                    if (!YamlJson.IsNull(value, at))
                    {
                        ruleId = YamlJson.AsString(value, at) ?? throw new PolicyFormatException(at, "must be a string");
                    }
                    break;
                case "args":
                    args = value;
                    break;
                case "modes":
                    modes = ParseModes(value, at);
                    break;
                default:
                    throw new PolicyFormatException(at, "unknown key (expected rule_id|function|action|modes|args)");
            }
        }

        if (function is null)
        {
            throw new PolicyFormatException($"{location}.function", "is required and must be a non-empty string");
        }
        if (action is null)
        {
            throw new PolicyFormatException($"{location}.action", "must be allow|deny");
        }
        var constraints = args is null ? [] : ParseConstraints(args, $"{location}.args");
        return new PermissionRule(string.IsNullOrEmpty(ruleId) ? function : ruleId, new FunctionPattern(function), action, constraints, modes);
    }

    /// <summary><c>modes</c> (the approval-gate configuration's rules): the session modes the rule applies in; absent = all.</summary>
    private static IReadOnlyList<string>? ParseModes(YamlNode node, string location)
    {
        if (YamlJson.IsNull(node, location))
        {
            return null;
        }
        if (node is not YamlSequenceNode sequence)
        {
            throw new PolicyFormatException(location, "must be a list of manual|auto|full");
        }
        var modes = new List<string>(sequence.Children.Count);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var at = $"{location}[{i}]";
            var mode = YamlJson.AsString(sequence.Children[i], at);
            if (mode is null || !ApprovalModes.All.Contains(mode))
            {
                throw new PolicyFormatException(at, "must be manual|auto|full");
            }
            modes.Add(mode);
        }
        return modes;
    }

    private static List<ArgConstraint> ParseConstraints(YamlNode node, string location)
    {
        if (YamlJson.IsNull(node, location))
        {
            return [];
        }
        if (node is not YamlMappingNode mapping)
        {
            throw new PolicyFormatException(location, "must be a mapping of field: {equals: <value>} | {matches: <regex>}");
        }
        var constraints = new List<ArgConstraint>(mapping.Children.Count);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var field = KeyName(keyNode, location);
            constraints.Add(ParseConstraint(field, value, $"{location}.{field}"));
        }
        // Field-name order makes "the first constraint" (reported on a deny) independent of YAML key order.
        constraints.Sort((a, b) => string.CompareOrdinal(a.Field, b.Field));
        return constraints;
    }

    private static ArgConstraint ParseConstraint(string field, YamlNode node, string location)
    {
        const string shape = "unknown constraint shape (expected {equals: <value>} or {matches: <regex>})";
        if (node is not YamlMappingNode { Children.Count: 1 } mapping)
        {
            throw new PolicyFormatException(location, shape);
        }
        var (keyNode, value) = mapping.Children.First();
        var op = KeyName(keyNode, location);
        var at = $"{location}.{op}";
        switch (op)
        {
            case ConstraintOperators.EqualsOperator:
                return ArgConstraint.ForEquals(field, YamlJson.ToJson(value, at));
            case ConstraintOperators.MatchesOperator:
                var pattern = YamlJson.AsString(value, at) ?? throw new PolicyFormatException(at, "must be a string regex");
                try
                {
                    return ArgConstraint.ForMatches(field, pattern);
                }
                catch (ArgumentException ex)
                {
                    throw new PolicyFormatException(at, $"invalid regex {WireJson.Serialize(pattern)}: {ex.Message}");
                }
            default:
                throw new PolicyFormatException(location, shape);
        }
    }

    private static string KeyName(YamlNode keyNode, string location) =>
        keyNode is YamlScalarNode { Value: { } name } ? name : throw new PolicyFormatException(location, "mapping keys must be strings");
}
