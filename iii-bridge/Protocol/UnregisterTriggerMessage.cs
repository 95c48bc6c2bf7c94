namespace Harness.Bridge.Protocol;

/// <summary><c>unregistertrigger</c>: W→E removes a binding (<c>trigger_type</c> optional); E→W tells the provider to tear it down.</summary>
public sealed record UnregisterTriggerMessage : IiiMessage
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("trigger_type")] public string? TriggerType { get; init; }
}
