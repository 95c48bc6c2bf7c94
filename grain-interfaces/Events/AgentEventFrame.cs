namespace Harness.Events;

/// <summary>
/// An <see cref="AgentEvent"/> as the turn grain publishes it: <c>seq</c> is persisted with the turn, so
/// <c>item_id</c> (<c>&lt;session_id&gt;-&lt;8-digit seq&gt;</c>) keeps increasing across restarts.
/// </summary>
[GenerateSerializer]
public sealed record AgentEventFrame
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("seq")] public long Seq { get; init; }
    [Id(2), JsonPropertyName("event")] public required AgentEvent Event { get; init; }

    [JsonPropertyName("item_id")] public string ItemId => $"{SessionId}-{Seq:D8}";

    /// <summary>
    /// Streamed deltas (<c>message_update</c>) go out as they come and are not stored: the <c>message_complete</c> that
    /// follows carries the whole message. Every other event is stored with the step that produced it, then sent.
    /// </summary>
    [JsonIgnore] public bool IsLive => Event.Type == AgentEventTypes.MessageUpdate;
}
