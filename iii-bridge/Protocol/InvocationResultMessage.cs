namespace Harness.Bridge.Protocol;

/// <summary>
/// <c>invocationresult</c>: the answer to one <c>invocation_id</c> (a UUID). <c>error</c> wins over <c>result</c>;
/// a missing <c>result</c> reads as null.
/// </summary>
public sealed record InvocationResultMessage : IiiMessage
{
    [JsonPropertyName("invocation_id")] public required Guid InvocationId { get; init; }
    [JsonPropertyName("function_id")] public required string FunctionId { get; init; }
    [JsonPropertyName("result")] public JsonElement? Result { get; init; }
    [JsonPropertyName("error")] public ErrorBody? Error { get; init; }
    [JsonPropertyName("traceparent")] public string? Traceparent { get; init; }
    [JsonPropertyName("baggage")] public string? Baggage { get; init; }
}
