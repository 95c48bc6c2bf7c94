using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Harness.Approvals;

/// <summary>
/// YAML nodes as JSON values, typed by the YAML 1.2 core schema (the schema of the original's <c>yaml</c>
/// package), so <c>equals: 420</c> is the number 420 and <c>equals: "420"</c> the string.
/// </summary>
internal static partial class YamlJson
{
    /// <summary>Aliases can build cycles; a cap keeps a hostile file from overflowing the stack.</summary>
    private const int MaxDepth = 64;

    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Matches JSON.stringify, which the deny reason text is built from.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonElement ToJson(YamlNode node, string location)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, node, location, 0);
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }

    /// <summary>The string value of a node, or null when the node is not a string scalar (null, number, bool, collection).</summary>
    public static string? AsString(YamlNode node, string location) =>
        node is YamlScalarNode scalar && Resolve(scalar, location) is { Kind: JsonValueKind.String } value ? value.Text : null;

    public static bool IsNull(YamlNode node, string location) =>
        node is YamlScalarNode scalar && Resolve(scalar, location).Kind == JsonValueKind.Null;

    private static void Write(Utf8JsonWriter writer, YamlNode node, string location, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new PolicyFormatException(location, $"value nested deeper than {MaxDepth} levels");
        }
        switch (node)
        {
            case YamlScalarNode scalar:
                var value = Resolve(scalar, location);
                switch (value.Kind)
                {
                    case JsonValueKind.Null: writer.WriteNullValue(); break;
                    case JsonValueKind.True: writer.WriteBooleanValue(true); break;
                    case JsonValueKind.False: writer.WriteBooleanValue(false); break;
                    case JsonValueKind.Number: writer.WriteNumberValue(value.Number); break;
                    default: writer.WriteStringValue(value.Text); break;
                }
                break;
            case YamlSequenceNode sequence:
                RequireCollectionTag(node, "seq", location);
                writer.WriteStartArray();
                var index = 0;
                foreach (var item in sequence.Children)
                {
                    Write(writer, item, $"{location}[{index++}]", depth + 1);
                }
                writer.WriteEndArray();
                break;
            case YamlMappingNode mapping:
                RequireCollectionTag(node, "map", location);
                writer.WriteStartObject();
                foreach (var (key, item) in mapping.Children)
                {
                    var name = key is YamlScalarNode keyScalar
                        ? keyScalar.Value ?? ""
                        : throw new PolicyFormatException(location, "mapping keys must be scalars");
                    writer.WritePropertyName(name);
                    Write(writer, item, $"{location}.{name}", depth + 1);
                }
                writer.WriteEndObject();
                break;
            default:
                throw new PolicyFormatException(location, $"unsupported YAML node {node.NodeType}");
        }
    }

    private static void RequireCollectionTag(YamlNode node, string kind, string location)
    {
        var tag = node.Tag;
        if (!tag.IsEmpty && !tag.IsNonSpecific && tag.Value != CoreTagPrefix + kind)
        {
            throw UnsupportedTag(location, tag.Value);
        }
    }

    private static ScalarValue Resolve(YamlScalarNode scalar, string location)
    {
        var text = scalar.Value ?? "";
        var tag = scalar.Tag;
        if (tag.IsEmpty)
        {
            // Only plain scalars are typed; quoted and block scalars are always strings.
            return scalar.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any
                ? ResolvePlain(text, location)
                : ScalarValue.String(text);
        }
        if (tag.IsNonSpecific)
        {
            return ScalarValue.String(text);
        }
        if (!tag.Value.StartsWith(CoreTagPrefix, StringComparison.Ordinal))
        {
            throw UnsupportedTag(location, tag.Value);
        }
        var kind = tag.Value[CoreTagPrefix.Length..];
        if (kind == "str")
        {
            return ScalarValue.String(text);
        }
        var resolved = ResolvePlain(text, location);
        var valid = kind switch
        {
            "null" => resolved.Kind == JsonValueKind.Null,
            "bool" => resolved.Kind is JsonValueKind.True or JsonValueKind.False,
            "int" => resolved.Kind == JsonValueKind.Number && IntPattern().IsMatch(text),
            "float" => resolved.Kind == JsonValueKind.Number,
            _ => throw UnsupportedTag(location, tag.Value),
        };
        return valid ? resolved : throw new PolicyFormatException(location, $"'{text}' is not a valid !!{kind}");
    }

    private static PolicyFormatException UnsupportedTag(string location, string tag) =>
        new(location, $"unsupported YAML tag '{tag}' (quote strings that start with '!', e.g. \"!state::set\")");

    private static ScalarValue ResolvePlain(string text, string location)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return ScalarValue.Null;
        }
        if (text is "true" or "True" or "TRUE")
        {
            return ScalarValue.True;
        }
        if (text is "false" or "False" or "FALSE")
        {
            return ScalarValue.False;
        }
        if (text.StartsWith("0o", StringComparison.Ordinal) && OctalPattern().IsMatch(text))
        {
            return ScalarValue.Of(ParseBase(text[2..], 8), location);
        }
        if (text.StartsWith("0x", StringComparison.Ordinal) && HexPattern().IsMatch(text))
        {
            return ScalarValue.Of(ParseBase(text[2..], 16), location);
        }
        if (DecimalPattern().IsMatch(text))
        {
            // JS numbers are doubles; parsing as double mirrors what the original compares against.
            return ScalarValue.Of(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture), location);
        }
        if (SpecialFloatPattern().IsMatch(text))
        {
            throw new PolicyFormatException(location, $"'{text}' is not representable in JSON");
        }
        return ScalarValue.String(text);
    }

    private static double ParseBase(string digits, int radix)
    {
        BigInteger value = BigInteger.Zero;
        foreach (var c in digits)
        {
            value = value * radix + (char.IsAsciiDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return (double)value;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^0o[0-7]+$")]
    private static partial Regex OctalPattern();

    [GeneratedRegex(@"^0x[0-9a-fA-F]+$")]
    private static partial Regex HexPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex DecimalPattern();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN)$")]
    private static partial Regex SpecialFloatPattern();

    private readonly record struct ScalarValue(JsonValueKind Kind, string Text, double Number)
    {
        public static ScalarValue Null => new(JsonValueKind.Null, "", 0);
        public static ScalarValue True => new(JsonValueKind.True, "", 0);
        public static ScalarValue False => new(JsonValueKind.False, "", 0);
        public static ScalarValue String(string text) => new(JsonValueKind.String, text, 0);

        public static ScalarValue Of(double number, string location) =>
            double.IsFinite(number)
                ? new(JsonValueKind.Number, "", number)
                : throw new PolicyFormatException(location, "number is too large to represent");
    }
}
