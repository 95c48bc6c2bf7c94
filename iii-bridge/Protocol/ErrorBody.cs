namespace Harness.Bridge.Protocol;

/// <summary>
/// The error of an <c>invocationresult</c> / <c>triggerregistrationresult</c>. Must be this object: the engine drops a
/// frame whose error is a bare string, and the caller then waits for its timeout.
/// </summary>
public sealed record ErrorBody
{
    [JsonPropertyName("code")] public required string Code { get; init; }
    [JsonPropertyName("message")] public required string Message { get; init; }
    [JsonPropertyName("stacktrace")] public string? Stacktrace { get; init; }

    public override string ToString() => $"{Code}: {Message}";
}
