using System.Text.Json.Serialization;

namespace Harness.Turns;

/// <summary>Everything the turn grain persists in one row: the spec record plus what the original kept in other scopes.</summary>
public sealed class TurnGrainState
{
    /// <summary>Spec scope <c>turn_state</c>.</summary>
    [JsonPropertyName("record")] public TurnStateRecord? Record { get; set; }

    /// <summary>Spec scope <c>run_request</c>.</summary>
    [JsonPropertyName("run")] public RunRequest? Run { get; set; }

    /// <summary>Prefix of the deterministic session-entry ids of this run (its start time).</summary>
    [JsonPropertyName("run_key")] public string? RunKey { get; set; }

    /// <summary>Last event sequence number handed out; item ids stay monotonic across restarts.</summary>
    [JsonPropertyName("event_seq")] public long EventSeq { get; set; }

    /// <summary>
    /// The outbox and log of the session's events: the current run's frames (streamed deltas excepted), at most
    /// <see cref="TurnOptions.StoredEventsLimit"/>, written with the state they belong to and sent after.
    /// </summary>
    [JsonPropertyName("events")] public List<Harness.Events.AgentEventFrame> Events { get; set; } = [];

    /// <summary>Highest sequence number sent before the last write: frames after it are sent again on a resume.</summary>
    [JsonPropertyName("sent_seq")] public long SentSeq { get; set; }

    /// <summary>W3C trace parent of the <c>run::start</c> call: every step of the run joins that one trace.</summary>
    [JsonPropertyName("trace_parent")] public string? TraceParent { get; set; }

    /// <summary>Consecutive transient failures of the current step (reset on success).</summary>
    [JsonPropertyName("transient_attempts")] public int TransientAttempts { get; set; }
}
