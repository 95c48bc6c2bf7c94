using System.Collections.Concurrent;
using System.Text.Json.Schema;
using Harness.Serialization;

namespace Harness.Bridge.Functions;

/// <summary>
/// JSON Schemas of wire records, generated from the same <see cref="WireJson.Options"/> that (de)serialize them, so the
/// published contract cannot drift from the code. Schemas are self-contained (<c>$ref</c>s inlined), so they can be
/// wrapped or embedded; <see cref="Require"/> and <see cref="Enum"/> add what request validation enforces.
/// </summary>
public static class BridgeSchemas
{
    private const int MaxInlineDepth = 32;

    private static readonly ConcurrentDictionary<Type, JsonNode> Cache = new();

    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        // Wire records are written without nulls; absent is how "no value" travels.
        TreatNullObliviousAsNonNullable = true,
    };

    /// <summary>A fresh copy of the schema of <typeparamref name="T"/> (callers may edit it).</summary>
    public static JsonNode For<T>() => For(typeof(T));

    public static JsonNode For(Type type) =>
        Cache.GetOrAdd(type, t =>
        {
            var exported = WireJson.Options.GetJsonSchemaAsNode(t, ExporterOptions);
            return Inline(exported, exported, 0);
        }).DeepClone();

    /// <summary>The schema of <typeparamref name="T"/> or JSON null (for readers that return null when nothing exists).</summary>
    public static JsonNode OrNull<T>() => new JsonObject { ["anyOf"] = new JsonArray(For<T>(), new JsonObject { ["type"] = "null" }) };

    /// <summary>Either of several shapes (e.g. a settings record or an <c>{ok:false, error}</c> failure).</summary>
    public static JsonNode OneOf(params JsonNode[] schemas) => new JsonObject { ["oneOf"] = new JsonArray([.. schemas]) };

    /// <summary>Marks object properties as required and non-null (what <c>Validate()</c> enforces on nullable records).</summary>
    public static JsonNode Require(this JsonNode schema, params string[] fields)
    {
        var required = schema["required"] as JsonArray ?? [];
        foreach (var field in fields)
        {
            if (!required.Any(r => r?.GetValue<string>() == field))
            {
                required.Add(field);
            }
            if (schema["properties"]?[field] is JsonObject property && property["type"] is JsonArray types)
            {
                var nonNull = types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToArray();
                property["type"] = nonNull.Length == 1 ? nonNull[0] : new JsonArray([.. nonNull.Select(t => JsonValue.Create(t))]);
            }
        }
        schema["required"] = required;
        return schema;
    }

    /// <summary>Restricts a string property to <paramref name="values"/>.</summary>
    public static JsonNode Enum(this JsonNode schema, string field, IEnumerable<string> values)
    {
        if (schema["properties"]?[field] is JsonObject property)
        {
            var allowed = new JsonArray([.. values.Select(v => JsonValue.Create(v))]);
            if (property["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null"))
            {
                // An optional field may still be sent as null.
                allowed.Add(null);
            }
            property["enum"] = allowed;
        }
        return schema;
    }

    /// <summary>Replaces a property's schema (e.g. to embed a refined nested request).</summary>
    public static JsonNode Property(this JsonNode schema, string field, JsonNode propertySchema)
    {
        if (schema["properties"] is JsonObject properties)
        {
            properties[field] = propertySchema;
        }
        return schema;
    }

    /// <summary>Inlines local <c>$ref</c>s (the exporter points repeated types at their first occurrence).</summary>
    private static JsonNode Inline(JsonNode node, JsonNode root, int depth)
    {
        switch (node)
        {
            case JsonObject obj when obj["$ref"] is JsonValue reference && reference.GetValue<string>() is { } pointer && pointer.StartsWith("#", StringComparison.Ordinal):
                var target = Resolve(root, pointer) ?? new JsonObject();
                return depth >= MaxInlineDepth ? new JsonObject() : Inline(target.DeepClone(), root, depth + 1);
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = value is null ? null : Inline(value, root, depth);
                }
                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => item is null ? null : Inline(item, root, depth))]);
            default:
                return node.DeepClone();
        }
    }

    private static JsonNode? Resolve(JsonNode root, string pointer)
    {
        var node = root;
        foreach (var segment in pointer.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var key = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject obj => obj[key],
                JsonArray array when int.TryParse(key, out var index) && index < array.Count => array[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }
}
