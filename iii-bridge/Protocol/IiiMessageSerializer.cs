using System.Collections.Frozen;

namespace Harness.Bridge.Protocol;

/// <summary>
/// Reads and writes protocol frames. Parsing follows the engine's serde rules: unknown fields are ignored, a missing
/// required field or an unknown <c>type</c> makes the frame unreadable (the caller drops it, as the engine does).
/// </summary>
public static class IiiMessageSerializer
{
    /// <summary>
    /// Nesting levels a frame may have: the engine reads frames with serde_json, whose recursion limit admits 127
    /// nested arrays/objects (System.Text.Json's default 64 would refuse, e.g., a session tree the engine carries).
    /// </summary>
    public const int MaxFrameDepth = 127;

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static readonly FrozenDictionary<string, Type> TypesByTag = new Dictionary<string, Type>
    {
        [IiiMessageTypes.RegisterFunction] = typeof(RegisterFunctionMessage),
        [IiiMessageTypes.UnregisterFunction] = typeof(UnregisterFunctionMessage),
        [IiiMessageTypes.RegisterTriggerType] = typeof(RegisterTriggerTypeMessage),
        [IiiMessageTypes.RegisterTrigger] = typeof(RegisterTriggerMessage),
        [IiiMessageTypes.UnregisterTrigger] = typeof(UnregisterTriggerMessage),
        [IiiMessageTypes.TriggerRegistrationResult] = typeof(TriggerRegistrationResultMessage),
        [IiiMessageTypes.InvokeFunction] = typeof(InvokeFunctionMessage),
        [IiiMessageTypes.InvocationResult] = typeof(InvocationResultMessage),
        [IiiMessageTypes.RegisterService] = typeof(RegisterServiceMessage),
        [IiiMessageTypes.WorkerRegistered] = typeof(WorkerRegisteredMessage),
        [IiiMessageTypes.Reattach] = typeof(ReattachMessage),
        [IiiMessageTypes.Ping] = typeof(PingMessage),
        [IiiMessageTypes.Pong] = typeof(PongMessage),
        [IiiMessageTypes.RegistrationRejected] = typeof(RegistrationRejectedMessage),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, string> TagsByType = TypesByTag.ToFrozenDictionary(p => p.Value, p => p.Key);

    /// <summary>The wire tag of a message type.</summary>
    public static string TagOf(Type messageType) => TagsByType[messageType];

    /// <summary>The tags this serializer understands.</summary>
    public static IReadOnlyCollection<string> KnownTypes => TypesByTag.Keys;

    /// <summary>One UTF-8 JSON object with <c>type</c> as its first member.</summary>
    public static byte[] Serialize(IiiMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, Options);

    public static string SerializeToString(IiiMessage message) => JsonSerializer.Serialize(message, Options);

    /// <summary>
    /// Parses one frame. Returns false (with a reason) for an empty/whitespace frame, invalid JSON, a non-object, a
    /// missing or unknown <c>type</c>, or a missing required field.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out IiiMessage? message, out string? error)
    {
        message = null;
        error = null;
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            error = "empty frame";
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxFrameDepth });
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"frame is a JSON {root.ValueKind}, not an object";
                return false;
            }
            if (!root.TryGetProperty("type", out var tag) || tag.ValueKind != JsonValueKind.String)
            {
                error = "frame has no string 'type'";
                return false;
            }
            var name = tag.GetString()!;
            if (!TypesByTag.TryGetValue(name, out var type))
            {
                error = $"unknown message type '{name}'";
                return false;
            }
            // The concrete type has no 'type' member, so the tag (and strays such as 'message_type') are skipped.
            message = (IiiMessage?)root.Deserialize(type, Options);
            return message is not null;
        }
        catch (JsonException ex)
        {
            error = ex.Path is { Length: > 0 } path ? $"{ex.Message} (at {path})" : ex.Message;
            return false;
        }
    }

    public static IiiMessage? Parse(string json) =>
        TryParse(System.Text.Encoding.UTF8.GetBytes(json), out var message, out var error)
            ? message
            : throw new JsonException(error);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNameCaseInsensitive = false,
            RespectRequiredConstructorParameters = true,
            MaxDepth = MaxFrameDepth,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
