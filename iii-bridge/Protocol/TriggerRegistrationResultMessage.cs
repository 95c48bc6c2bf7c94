namespace Harness.Bridge.Protocol;

/// <summary>
/// <c>triggerregistrationresult</c>: the provider's ack of a forwarded binding (W→E), or a failure reported to the
/// worker that asked for the binding (E→W).
/// </summary>
public sealed record TriggerRegistrationResultMessage : IiiMessage
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("trigger_type")] public required string TriggerType { get; init; }
    [JsonPropertyName("function_id")] public required string FunctionId { get; init; }
    [JsonPropertyName("error")] public ErrorBody? Error { get; init; }
}
