using System.Collections.Concurrent;
using System.Text.Json.Schema;
using Harness.Serialization;

namespace Harness.Bridge.Functions;

/// <summary>
/// JSON Schemas of wire records, generated from the same <see cref="WireJson.Options"/> that (de)serialize them, so the
/// published contract cannot drift from the code.
/// </summary>
public static class BridgeSchemas
{
    private static readonly ConcurrentDictionary<Type, JsonNode> Cache = new();

    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        // Wire records are written without nulls; absent is how "no value" travels.
        TreatNullObliviousAsNonNullable = true,
    };

    /// <summary>A fresh copy of the schema of <typeparamref name="T"/> (callers may edit it).</summary>
    public static JsonNode For<T>() => For(typeof(T));

    public static JsonNode For(Type type) =>
        Cache.GetOrAdd(type, t => WireJson.Options.GetJsonSchemaAsNode(t, ExporterOptions)).DeepClone();

    /// <summary>The schema of <typeparamref name="T"/> or JSON null (for readers that return null when nothing exists).</summary>
    public static JsonNode OrNull<T>() => new JsonObject { ["anyOf"] = new JsonArray(For<T>(), new JsonObject { ["type"] = "null" }) };

    /// <summary>Either of two shapes (e.g. a settings record or an <c>{ok:false, error}</c> failure).</summary>
    public static JsonNode OneOf(params JsonNode[] schemas) => new JsonObject { ["oneOf"] = new JsonArray([.. schemas]) };
}
