namespace Harness.Messages;

/// <summary>
/// One provider stream event (spec §1.3), tagged by <c>type</c>. <c>done</c> and <c>error</c> are terminal.
/// </summary>
[GenerateSerializer]
public sealed record AssistantMessageEvent
{
    [Id(0), JsonPropertyName("type")] public required string Type { get; init; }
    [Id(1), JsonPropertyName("partial")] public AgentMessage? Partial { get; init; }
    [Id(2), JsonPropertyName("delta")] public string? Delta { get; init; }
    [Id(3), JsonPropertyName("usage")] public Usage? Usage { get; init; }
    [Id(4), JsonPropertyName("stop_reason")] public string? StopReason { get; init; }
    [Id(5), JsonPropertyName("error_message")] public string? ErrorMessage { get; init; }
    [Id(6), JsonPropertyName("error_kind")] public string? ErrorKind { get; init; }
    [Id(7), JsonPropertyName("message")] public AgentMessage? Message { get; init; }
    [Id(8), JsonPropertyName("error")] public AgentMessage? Error { get; init; }

    [JsonIgnore] public bool IsTerminal => Type is StreamEventTypes.Done or StreamEventTypes.Error;
}

public static class StreamEventTypes
{
    public const string Start = "start";
    public const string TextStart = "text_start";
    public const string TextDelta = "text_delta";
    public const string TextEnd = "text_end";
    public const string ThinkingStart = "thinking_start";
    public const string ThinkingDelta = "thinking_delta";
    public const string ThinkingEnd = "thinking_end";
    public const string FunctionCallStart = "functioncall_start";
    public const string FunctionCallDelta = "functioncall_delta";
    public const string FunctionCallEnd = "functioncall_end";
    public const string Usage = "usage";
    public const string Stop = "stop";
    public const string Done = "done";
    public const string Error = "error";
}
