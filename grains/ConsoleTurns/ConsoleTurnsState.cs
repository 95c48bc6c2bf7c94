namespace Harness.ConsoleTurns;

/// <summary>Stored form of a session's C4 ledger.</summary>
public sealed class ConsoleTurnsState
{
    [System.Text.Json.Serialization.JsonPropertyName("turns")] public List<ConsoleTurnRecord> Turns { get; set; } = [];

    /// <summary>Minted by a send that started a run, taken by the run's start event.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("pending_turn_id")] public string? PendingTurnId { get; set; }

    [System.Text.Json.Serialization.JsonPropertyName("stop_requested")] public bool StopRequested { get; set; }

    /// <summary>idempotency_key → the reply of the send that used it first (the newest <see cref="ConsoleTurnsGrain.MaxKeys"/>).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("sends")] public Dictionary<string, ConsoleSendResult> Sends { get; set; } = new(StringComparer.Ordinal);
    [System.Text.Json.Serialization.JsonPropertyName("send_order")] public List<string> SendOrder { get; set; } = [];

    /// <summary>
    /// Live-update deliveries not yet known to be delivered, in order (<see cref="ConsoleOutboxEntry"/>): written in the
    /// same write as the fact they announce, so a silo kill cannot lose them (at least once, in order per session).
    /// </summary>
    [System.Text.Json.Serialization.JsonPropertyName("outbox")] public List<ConsoleOutboxEntry> Outbox { get; set; } = [];

    [System.Text.Json.Serialization.JsonPropertyName("outbox_seq")] public long OutboxSeq { get; set; }
}

/// <summary>One queued C4 trigger delivery (<c>harness::turn-started</c>, <c>turn-completed</c>, <c>message-queued</c>).</summary>
public sealed class ConsoleOutboxEntry
{
    [System.Text.Json.Serialization.JsonPropertyName("seq")] public long Seq { get; set; }
    [System.Text.Json.Serialization.JsonPropertyName("type")] public string Type { get; set; } = "";
    [System.Text.Json.Serialization.JsonPropertyName("payload")] public string PayloadJson { get; set; } = "{}";
}
