namespace Harness.Bridge.Protocol;

/// <summary><c>unregisterfunction</c> (W→E); honoured only while the sender still owns the id.</summary>
public sealed record UnregisterFunctionMessage : IiiMessage
{
    [JsonPropertyName("id")] public required string Id { get; init; }
}
