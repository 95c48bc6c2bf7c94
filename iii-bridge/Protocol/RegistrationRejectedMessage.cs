namespace Harness.Bridge.Protocol;

/// <summary>
/// HEAD-only <c>registrationrejected</c> (E→W): a function id (or worker name) conflicts in a namespace. The function
/// variant refuses one registration and keeps the connection open.
/// </summary>
public sealed record RegistrationRejectedMessage : IiiMessage
{
    [JsonPropertyName("code")] public required string Code { get; init; }
    [JsonPropertyName("namespace")] public string? Namespace { get; init; }
    [JsonPropertyName("worker_name")] public string? WorkerName { get; init; }
    [JsonPropertyName("function_id")] public string? FunctionId { get; init; }
    [JsonPropertyName("owner_worker_id")] public string? OwnerWorkerId { get; init; }
}
