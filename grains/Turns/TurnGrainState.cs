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

    /// <summary>W3C trace parent of the <c>run::start</c> call: every step of the run joins that one trace.</summary>
    [JsonPropertyName("trace_parent")] public string? TraceParent { get; set; }

    /// <summary>Consecutive transient failures of the current step (reset on success).</summary>
    [JsonPropertyName("transient_attempts")] public int TransientAttempts { get; set; }
}
