using Harness.Messages;
using Harness.Turns;

namespace Harness.Events;

/// <summary>
/// One UI frame on <c>agent::events</c> (spec §5), tagged by <c>type</c>. Only the fields of that type are set.
/// </summary>
[GenerateSerializer]
public sealed record AgentEvent
{
    [Id(0), JsonPropertyName("type")] public required string Type { get; init; }
    [Id(1), JsonPropertyName("event_type")] public string? EventType { get; init; }
    [Id(2), JsonPropertyName("new_value")] public TurnStateView? NewValue { get; init; }
    [Id(3), JsonPropertyName("old_value")] public TurnStateView? OldValue { get; init; }
    [Id(4), JsonPropertyName("message")] public AgentMessage? Message { get; init; }
    [Id(5), JsonPropertyName("llm_event")] public AssistantMessageEvent? LlmEvent { get; init; }
    [Id(6), JsonPropertyName("body_streamed")] public bool? BodyStreamed { get; init; }
    [Id(7), JsonPropertyName("function_call_id")] public string? FunctionCallId { get; init; }
    [Id(8), JsonPropertyName("function_id")] public string? FunctionId { get; init; }
    [Id(9), JsonPropertyName("args")] public JsonElement? Args { get; init; }
    [Id(10), JsonPropertyName("result")] public FunctionResult? Result { get; init; }
    [Id(11), JsonPropertyName("is_error")] public bool? IsError { get; init; }
    [Id(12), JsonPropertyName("duration_ms")] public long? DurationMs { get; init; }
    [Id(13), JsonPropertyName("function_results")] public IReadOnlyList<AgentMessage>? FunctionResults { get; init; }
    [Id(14), JsonPropertyName("messages")] public IReadOnlyList<AgentMessage>? Messages { get; init; }
    [Id(15), JsonPropertyName("mode")] public string? Mode { get; init; }
    [Id(16), JsonPropertyName("summary_text")] public string? SummaryText { get; init; }
    [Id(17), JsonPropertyName("tokens_before")] public long? TokensBefore { get; init; }
    [Id(18), JsonPropertyName("compaction_entry_id")] public string? CompactionEntryId { get; init; }
    [Id(19), JsonPropertyName("tail_start_id")] public string? TailStartId { get; init; }
}

public static class AgentEventTypes
{
    public const string TurnStateChanged = "turn_state_changed";
    public const string MessageUpdate = "message_update";
    public const string MessageComplete = "message_complete";
    public const string FunctionExecutionStart = "function_execution_start";
    public const string FunctionExecutionEnd = "function_execution_end";
    public const string TurnEnd = "turn_end";
    public const string AgentEnd = "agent_end";
    public const string CompactionDone = "compaction_done";
}
