namespace Harness.Bridge.Protocol;

/// <summary>
/// <c>registerfunction</c> (W→E): publish a function id with its contract. The engine serializes the two formats
/// even when null, so we do too; <c>invocation</c> (external HTTP functions) is kept as raw JSON.
/// </summary>
public sealed record RegisterFunctionMessage : IiiMessage
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("request_format"), JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public JsonNode? RequestFormat { get; init; }

    [JsonPropertyName("response_format"), JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public JsonNode? ResponseFormat { get; init; }

    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }
    [JsonPropertyName("invocation")] public JsonElement? Invocation { get; init; }
}
