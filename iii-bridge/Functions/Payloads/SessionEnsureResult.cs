namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>session-tree::ensure</c> answer: <c>created</c> is true when the session did not exist before.</summary>
public sealed record SessionEnsureResult
{
    [JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [JsonPropertyName("created")] public bool Created { get; init; }
}
