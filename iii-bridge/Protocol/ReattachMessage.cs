namespace Harness.Bridge.Protocol;

/// <summary><c>reattach</c> (W→E, first frame of a reconnect): lets the engine retire the previous connection before the replay.</summary>
public sealed record ReattachMessage : IiiMessage
{
    [JsonPropertyName("previous_worker_id")] public required string PreviousWorkerId { get; init; }
    [JsonPropertyName("reattach_token")] public string? ReattachToken { get; init; }
}
