namespace Harness.Events;

/// <summary>
/// An <see cref="AgentEvent"/> as the turn grain publishes it: <c>seq</c> is persisted with the turn, so
/// <c>item_id</c> (<c>&lt;session_id&gt;-&lt;8-digit seq&gt;</c>) keeps increasing across restarts. Streamed deltas
/// are not numbered on their own: they carry the <c>seq</c> of the stored event before them and a <c>delta</c> index
/// (item id <c>…-&lt;seq&gt;-&lt;4-digit delta&gt;</c>), so the stored events number 1, 2, 3… without gaps and a delta sent
/// by a step that is then re-run after a crash can never take the number of a stored event.
/// </summary>
[GenerateSerializer]
public sealed record AgentEventFrame
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("seq")] public long Seq { get; init; }
    [Id(2), JsonPropertyName("event")] public required AgentEvent Event { get; init; }

    /// <summary>0 for a stored event; 1, 2, … for the streamed deltas after the stored event <see cref="Seq"/>.</summary>
    [Id(3), JsonPropertyName("delta"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int Delta { get; init; }

    [JsonPropertyName("item_id")] public string ItemId => Delta == 0 ? $"{SessionId}-{Seq:D8}" : $"{SessionId}-{Seq:D8}-{Delta:D4}";

    /// <summary>Delivery order: by <see cref="Seq"/>, a stored event before the deltas that follow it.</summary>
    [JsonIgnore] public (long Seq, int Delta) Position => (Seq, Delta);

    /// <summary>
    /// Streamed deltas (<c>message_update</c>) go out as they come and are not stored: the <c>message_complete</c> that
    /// follows carries the whole message. Every other event is stored with the step that produced it, then sent.
    /// </summary>
    [JsonIgnore] public bool IsLive => Delta > 0;
}
