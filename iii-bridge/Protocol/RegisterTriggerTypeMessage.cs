namespace Harness.Bridge.Protocol;

/// <summary><c>registertriggertype</c> (W→E): this worker provides a trigger type. <c>description</c> is required on the wire.</summary>
public sealed record RegisterTriggerTypeMessage : IiiMessage
{
    [JsonPropertyName("id")] public required string Id { get; init; }

    [JsonPropertyName("description"), JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string Description { get; init; }

    [JsonPropertyName("trigger_request_format")] public JsonNode? TriggerRequestFormat { get; init; }
    [JsonPropertyName("call_request_format")] public JsonNode? CallRequestFormat { get; init; }

    /// <summary>HEAD only.</summary>
    [JsonPropertyName("namespace")] public string? Namespace { get; init; }
}
