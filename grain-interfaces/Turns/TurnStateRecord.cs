using Harness.Messages;

namespace Harness.Turns;

/// <summary>The durable turn record (spec §2.5), mutated by one FSM step at a time.</summary>
[GenerateSerializer]
public sealed class TurnStateRecord
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; set; }
    [Id(1), JsonPropertyName("state")] public required string State { get; set; }
    [Id(2), JsonPropertyName("turn_count")] public int TurnCount { get; set; }
    [Id(3), JsonPropertyName("max_turns")] public int? MaxTurns { get; set; }
    [Id(4), JsonPropertyName("last_assistant")] public AgentMessage? LastAssistant { get; set; }
    [Id(5), JsonPropertyName("function_results")] public List<AgentMessage> FunctionResults { get; set; } = [];
    [Id(6), JsonPropertyName("turn_end_emitted")] public bool TurnEndEmitted { get; set; }
    [Id(7), JsonPropertyName("started_at_ms")] public long StartedAtMs { get; set; }
    [Id(8), JsonPropertyName("updated_at_ms")] public long UpdatedAtMs { get; set; }
    [Id(9), JsonPropertyName("assistant_body_streamed")] public bool? AssistantBodyStreamed { get; set; }
    [Id(10), JsonPropertyName("work")] public TurnWork? Work { get; set; }
    [Id(11), JsonPropertyName("awaiting_approval")] public List<AwaitingApproval>? AwaitingApproval { get; set; }
    [Id(12), JsonPropertyName("error")] public TurnError? Error { get; set; }

    public static TurnStateRecord New(string sessionId, int? maxTurns, long nowMs) => new()
    {
        SessionId = sessionId,
        State = TurnStates.Provisioning,
        MaxTurns = maxTurns,
        StartedAtMs = nowMs,
        UpdatedAtMs = nowMs,
    };

    public TurnStateView ToView() => new()
    {
        SessionId = SessionId,
        State = State,
        TurnCount = TurnCount,
        MaxTurns = MaxTurns,
        AwaitingApproval = AwaitingApproval is { Count: > 0 } ? [.. AwaitingApproval] : null,
        Error = Error,
    };
}
