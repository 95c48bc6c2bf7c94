using Harness.Serialization;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>Reads request payloads and turns every kind of bad input into an <c>invalid_payload</c> error that names the field.</summary>
public static class BridgePayload
{
    /// <summary>The key the engine adds to object payloads of worker-originated calls.</summary>
    public const string CallerWorkerIdKey = "_caller_worker_id";

    /// <summary>Deserializes an object payload; unknown members (incl. <c>_caller_worker_id</c>) are ignored.</summary>
    public static T Read<T>(JsonElement data) where T : class
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw BridgeFunctionException.InvalidPayload("$", $"must be a JSON object (got {Describe(data.ValueKind)})");
        }
        try
        {
            return data.Deserialize<T>(WireJson.Options)
                ?? throw BridgeFunctionException.InvalidPayload("$", "must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw FromJsonException(ex);
        }
    }

    /// <summary>Maps a System.Text.Json failure to <c>invalid_payload</c>, naming the field from <see cref="JsonException.Path"/>.</summary>
    public static BridgeFunctionException FromJsonException(JsonException ex)
    {
        var field = FieldFromPath(ex.Path);
        var message = ex.Message;
        // STJ messages end with "Path: $.x | LineNumber: 0 | BytePositionInLine: 12." — the field is already named.
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }
        // A missing required member is reported on the object: name the member itself.
        if (JsonErrorText.MissingMember(message) is { } member)
        {
            return BridgeFunctionException.InvalidPayload(field == "$" ? member : $"{field}.{member}", "is required", ex);
        }
        return BridgeFunctionException.InvalidPayload(field, JsonErrorText.Reason(message), ex);
    }

    public static BridgeFunctionException FromValidation(PayloadValidationException ex) =>
        BridgeFunctionException.InvalidPayload(ex.Field, ex.Reason, ex);

    /// <summary><c>$.messages[0].role</c> → <c>messages[0].role</c>; the root stays <c>$</c>.</summary>
    public static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "$";
        }
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        // Quoted member names (['a.b']) are kept as STJ writes them.
        return field.Length == 0 ? "$" : field;
    }

    /// <summary>The engine's <c>_caller_worker_id</c>, when the payload is an object that carries it.</summary>
    public static string? CallerWorkerId(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty(CallerWorkerIdKey, out var id)
        && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => $"a {kind.ToString().ToLowerInvariant()}",
    };
}
