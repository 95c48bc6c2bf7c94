namespace Harness.Bridge.Functions;

/// <summary>A function failed with a wire error code (<c>invalid_payload</c>, <c>function_not_found</c>, …) and a message.</summary>
public sealed class BridgeFunctionException(string code, string message, Exception? inner = null)
    : Exception($"{code}: {message}", inner)
{
    public string Code { get; } = code;

    public string Detail { get; } = message;

    /// <summary>Bad input; <paramref name="field"/> is a dotted path such as <c>messages[0].role</c>.</summary>
    public static BridgeFunctionException InvalidPayload(string field, string reason, Exception? inner = null) =>
        new(IiiErrorCodes.InvalidPayload, $"{field}: {reason}", inner) { Field = field };

    /// <summary>The offending field of an <c>invalid_payload</c> error.</summary>
    public string? Field { get; private init; }
}
