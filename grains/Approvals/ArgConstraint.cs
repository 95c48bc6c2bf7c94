using System.Text.RegularExpressions;

namespace Harness.Approvals;

/// <summary>
/// One <c>args.&lt;field&gt;</c> constraint of a rule: <c>{equals: &lt;value&gt;}</c> (type-strict deep equality)
/// or <c>{matches: &lt;regex&gt;}</c> (unanchored search, strings only). A missing field never matches.
/// </summary>
public sealed class ArgConstraint
{
    /// <summary>Bounds a hostile pattern/input pair; a timeout surfaces as an exception, so the gate fails closed.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex? _regex;

    private ArgConstraint(string field, string op, JsonElement value, Regex? regex)
    {
        Field = field;
        Operator = op;
        Value = value;
        _regex = regex;
    }

    public string Field { get; }

    /// <summary><c>equals</c> or <c>matches</c>.</summary>
    public string Operator { get; }

    /// <summary>The expected value (<c>equals</c>) or the pattern as a JSON string (<c>matches</c>).</summary>
    public JsonElement Value { get; }

    public static ArgConstraint ForEquals(string field, JsonElement expected) =>
        new(field, ConstraintOperators.EqualsOperator, expected.Clone(), null);

    /// <exception cref="ArgumentException">The pattern is not a valid .NET regular expression.</exception>
    public static ArgConstraint ForMatches(string field, string pattern) =>
        new(field, ConstraintOperators.MatchesOperator, WireJson.ToElement(pattern),
            new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout));

    public bool IsSatisfiedBy(JsonElement args)
    {
        if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty(Field, out var actual))
        {
            return false;
        }
        return _regex is null
            ? JsonElement.DeepEquals(actual, Value)
            : actual.ValueKind == JsonValueKind.String && _regex.IsMatch(actual.GetString()!);
    }

    public MatchedConstraint ToMatchedConstraint() => new() { Field = Field, Operator = Operator, Value = Value };
}
