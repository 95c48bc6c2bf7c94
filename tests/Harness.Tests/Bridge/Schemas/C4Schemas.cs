using System.Text.Json.Nodes;

namespace Harness.Tests.Bridge.Schemas;

/// <summary>
/// The C4 response/event schemas checked in under <c>Bridge/Schemas/c4</c> (written from console-and-data §1.6/§2.3),
/// with a validator for the JSON Schema subset they use: <c>type</c> (one or a list), <c>required</c>,
/// <c>properties</c>, <c>items</c>, <c>enum</c>, <c>anyOf</c>, <c>$ref</c> to <c>#/definitions/…</c> or a sibling file.
/// </summary>
public static class C4Schemas
{
    private static string Directory => Path.Combine(AppContext.BaseDirectory, "Bridge", "Schemas", "c4");

    public static JsonNode Load(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, file)))!;

    /// <summary>Fails the test with every violation of <paramref name="file"/> by <paramref name="value"/>.</summary>
    public static void AssertValid(string file, JsonNode? value)
    {
        var errors = new List<string>();
        var root = Load(file);
        Check(root, root, value, "$", errors);
        Assert.True(errors.Count == 0, $"{file}: {string.Join("; ", errors)} in {value?.ToJsonString() ?? "null"}");
    }

    private static void Check(JsonNode root, JsonNode schema, JsonNode? value, string path, List<string> errors)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            if (reference.StartsWith("#/definitions/", StringComparison.Ordinal))
            {
                Check(root, root["definitions"]![reference["#/definitions/".Length..]]!, value, path, errors);
            }
            else
            {
                var other = Load(reference);
                Check(other, other, value, path, errors);
            }
            return;
        }
        if (schema["anyOf"] is JsonArray any)
        {
            if (!any.Any(option => { var e = new List<string>(); Check(root, option!, value, path, e); return e.Count == 0; }))
            {
                errors.Add($"{path}: matches no anyOf option");
            }
            return;
        }
        if (schema["type"] is { } type)
        {
            var allowed = type is JsonArray list ? list.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!allowed.Contains(TypeOf(value)) && !(allowed.Contains("number") && TypeOf(value) == "integer"))
            {
                errors.Add($"{path}: is {TypeOf(value)}, expected {string.Join("|", allowed)}");
                return;
            }
        }
        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            errors.Add($"{path}: {value?.ToJsonString()} is not one of {values.ToJsonString()}");
        }
        if (value is JsonObject obj)
        {
            foreach (var field in schema["required"]?.AsArray() ?? [])
            {
                if (!obj.ContainsKey(field!.GetValue<string>()))
                {
                    errors.Add($"{path}.{field}: is required");
                }
            }
            foreach (var (name, propertySchema) in schema["properties"]?.AsObject() ?? [])
            {
                if (obj.TryGetPropertyValue(name, out var child))
                {
                    Check(root, propertySchema!, child, $"{path}.{name}", errors);
                }
            }
        }
        if (value is JsonArray array && schema["items"] is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(root, items, array[i], $"{path}[{i}]", errors);
            }
        }
    }

    private static string TypeOf(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => "string",
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString().Contains('.') || v.ToJsonString().Contains('e') ? "number" : "integer",
        _ => "unknown",
    };
}
