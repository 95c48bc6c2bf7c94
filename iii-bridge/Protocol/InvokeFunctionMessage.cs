namespace Harness.Bridge.Protocol;

/// <summary>
/// <c>invokefunction</c> in both directions. A frame with an <c>invocation_id</c> must be answered with exactly one
/// <c>invocationresult</c>; engine→worker invokes always carry one (even for a caller's void call). <c>data</c> is
/// always written (it may be JSON null); <c>metadata</c> is a sidecar, never folded into <c>data</c>.
/// </summary>
public sealed record InvokeFunctionMessage : IiiMessage
{
    [JsonPropertyName("invocation_id")] public Guid? InvocationId { get; init; }
    [JsonPropertyName("function_id")] public required string FunctionId { get; init; }

    [JsonPropertyName("data"), JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required JsonElement? Data { get; init; }

    [JsonPropertyName("traceparent")] public string? Traceparent { get; init; }
    [JsonPropertyName("baggage")] public string? Baggage { get; init; }
    [JsonPropertyName("action")] public TriggerAction? Action { get; init; }
    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }

    /// <summary>HEAD only.</summary>
    [JsonPropertyName("namespace")] public string? Namespace { get; init; }
}
