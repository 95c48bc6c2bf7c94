namespace Harness.Bridge.Protocol;

/// <summary><c>workerregistered</c> (E→W, right after the upgrade): our worker id and the token for a later <c>reattach</c> (absent on older engines).</summary>
public sealed record WorkerRegisteredMessage : IiiMessage
{
    [JsonPropertyName("worker_id")] public required string WorkerId { get; init; }
    [JsonPropertyName("reattach_token")] public string? ReattachToken { get; init; }
}
