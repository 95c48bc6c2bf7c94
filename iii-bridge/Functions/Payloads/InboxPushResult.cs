namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>session-inbox::push</c> answer: the queue depth after the push.</summary>
public sealed record InboxPushResult
{
    [JsonPropertyName("ok")] public bool Ok { get; init; } = true;
    [JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("depth")] public int Depth { get; init; }
}
