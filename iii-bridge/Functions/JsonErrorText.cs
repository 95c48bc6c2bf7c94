using System.Text.RegularExpressions;

namespace Harness.Bridge.Functions;

/// <summary>
/// Turns System.Text.Json's failure messages into wire text that names the expected JSON kind instead of a .NET type
/// (callers in any language cannot act on "could not be converted to System.Collections.Generic.IReadOnlyList`1[…]").
/// </summary>
public static partial class JsonErrorText
{
    /// <summary>The reason part of an <c>invalid_payload</c> message for <paramref name="message"/>.</summary>
    public static string Reason(string message)
    {
        if (ConvertedTo().Match(message) is { Success: true } converted)
        {
            return $"must be {Describe(converted.Groups["type"].Value)}";
        }
        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            return $"is required ({string.Join(", ", Names(missing))})";
        }
        // Anything else STJ says about a type: keep the sentence, drop the type names.
        return DotNetTypeName().Replace(message, "the expected shape");
    }

    /// <summary>The first required member named by a "missing required properties" message, or null.</summary>
    public static string? MissingMember(string message) =>
        MissingRequired().Match(message) is { Success: true } missing ? Names(missing).FirstOrDefault() : null;

    private static IEnumerable<string> Names(Match missing) =>
        missing.Groups["names"].Value.Split(',').Select(n => n.Trim().TrimEnd('.').Trim('\'')).Where(n => n.Length > 0);

    /// <summary>The JSON kind a .NET type name stands for, as STJ prints it (e.g. <c>System.Nullable`1[System.Int32]</c>).</summary>
    public static string Describe(string typeName)
    {
        var name = typeName.Trim().TrimEnd('.');
        if (name.StartsWith("System.Nullable`1[", StringComparison.Ordinal) && name.EndsWith(']'))
        {
            name = name["System.Nullable`1[".Length..^1];
        }
        if (name.EndsWith("[]", StringComparison.Ordinal) || Sequence().IsMatch(name))
        {
            return "an array";
        }
        if (name.Contains("Dictionary`2", StringComparison.Ordinal))
        {
            return "an object";
        }
        return name switch
        {
            "System.String" or "System.Char" or "System.Guid" or "System.Uri" => "a string",
            "System.DateTime" or "System.DateTimeOffset" => "an ISO 8601 date-time string",
            "System.TimeSpan" => "a duration string (hh:mm:ss)",
            "System.Boolean" => "a boolean",
            "System.Byte" or "System.SByte" or "System.Int16" or "System.UInt16" or "System.Int32" or "System.UInt32"
                or "System.Int64" or "System.UInt64" => "an integer",
            "System.Single" or "System.Double" or "System.Decimal" => "a number",
            "System.Text.Json.JsonElement" or "System.Text.Json.Nodes.JsonNode" => "a JSON value",
            _ => "an object",
        };
    }

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.?(?:\s|$)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"missing required properties,? including(?: the following)?: (?<names>.+)$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"(IEnumerable|IReadOnlyList|IList|List|ICollection|IReadOnlyCollection|ImmutableArray|HashSet|ISet)`1\[")]
    private static partial Regex Sequence();

    [GeneratedRegex(@"'?\b(System|Harness|Microsoft)\.[\w.`\[\], +]+'?")]
    private static partial Regex DotNetTypeName();
}
