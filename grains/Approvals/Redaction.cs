using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Encodings.Web;

namespace Harness.Approvals;

/// <summary>
/// Argument redaction for denial envelopes (spec §4.5, <c>redact.ts</c>): the model and the UI see an excerpt,
/// never secrets or unbounded blobs. Pure: returns a new value.
/// </summary>
public static class Redaction
{
    /// <summary>Strings longer than this many code points are clipped and end with <c>…</c>.</summary>
    public const int MaxStringCodePoints = 256;

    /// <summary>Objects and arrays nested this deep collapse to <see cref="MaxDepthSentinel"/>.</summary>
    public const int MaxDepth = 64;

    public const string RedactedValue = "<redacted>";
    public const string MaxDepthSentinel = "<max-depth>";

    private static readonly FrozenSet<string> SecretKeys = FrozenSet.Create(
        StringComparer.Ordinal,
        "password", "token", "api_key", "apikey", "secret", "auth", "authorization",
        "access_key", "access_token", "refresh_token", "private_key");

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Hostile args may nest deeper than the writer's default limit before they are capped.
        MaxDepth = MaxDepth + 8,
    };

    public static JsonElement Redact(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, value, 0);
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = MaxDepth + 8 });
        return doc.RootElement.Clone();
    }

    /// <summary>Key names that hide their value: the list above, case-insensitive, or ending in <c>_&lt;name&gt;</c>.</summary>
    public static bool IsSecretKey(string key)
    {
        var lower = key.ToLowerInvariant();
        if (SecretKeys.Contains(lower))
        {
            return true;
        }
        foreach (var secret in SecretKeys)
        {
            if (lower.Length > secret.Length
                && lower.EndsWith(secret, StringComparison.Ordinal)
                && lower[lower.Length - secret.Length - 1] == '_')
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Clips by Unicode code point so surrogate pairs are never split.</summary>
    public static string Clip(string text)
    {
        // Fast path: UTF-16 length is an upper bound on the code-point count.
        if (text.Length <= MaxStringCodePoints)
        {
            return text;
        }
        var builder = new StringBuilder(MaxStringCodePoints * 2 + 1);
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (count == MaxStringCodePoints)
            {
                return builder.Append('…').ToString();
            }
            builder.Append(rune.ToString());
            count++;
        }
        return text;
    }

    /// <summary>Compact JSON text like JS <c>JSON.stringify</c> (no HTML or non-ASCII escaping).</summary>
    public static string Stringify(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            value.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, JsonElement value, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                writer.WriteStringValue(Clip(value.GetString()!));
                return;
            case JsonValueKind.Object or JsonValueKind.Array when depth >= MaxDepth:
                writer.WriteStringValue(MaxDepthSentinel);
                return;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item, depth + 1);
                }
                writer.WriteEndArray();
                return;
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (IsSecretKey(property.Name))
                    {
                        writer.WriteStringValue(RedactedValue);
                    }
                    else
                    {
                        Write(writer, property.Value, depth + 1);
                    }
                }
                writer.WriteEndObject();
                return;
            case JsonValueKind.Undefined:
                writer.WriteNullValue();
                return;
            default:
                value.WriteTo(writer);
                return;
        }
    }
}
