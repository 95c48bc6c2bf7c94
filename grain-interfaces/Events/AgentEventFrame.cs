namespace Harness.Events;

/// <summary>
/// An <see cref="AgentEvent"/> as published on the Orleans stream: <c>seq</c> is persisted with the turn, so
/// <c>item_id</c> (<c>&lt;session_id&gt;-&lt;8-digit seq&gt;</c>) keeps increasing across restarts.
/// </summary>
[GenerateSerializer]
public sealed record AgentEventFrame
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("seq")] public long Seq { get; init; }
    [Id(2), JsonPropertyName("event")] public required AgentEvent Event { get; init; }

    [JsonPropertyName("item_id")] public string ItemId => $"{SessionId}-{Seq:D8}";
}

/// <summary>Names shared by publishers and subscribers of the event stream.</summary>
public static class AgentEventStreams
{
    /// <summary>Orleans stream provider name.</summary>
    public const string Provider = "agent-events";

    /// <summary>Stream namespace; the stream key is the session id (iii: stream <c>agent::events</c>, group = session id).</summary>
    public const string Namespace = "agent::events";
}
