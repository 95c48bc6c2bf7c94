using System.Text.Json.Serialization;

namespace Harness.Providers.Scripted;

/// <summary>
/// A canned conversation: round N answers the request whose history holds N assistant messages (the last round
/// repeats). Deterministic, so a turn re-run after a crash gets the same answer.
/// </summary>
public sealed record ProviderScript
{
    [JsonPropertyName("rounds")] public IReadOnlyList<ScriptRound> Rounds { get; init; } = [];

    /// <summary>Context window reported to the models catalog (lets tests trigger compaction). Default 200000.</summary>
    [JsonPropertyName("context_window")] public long? ContextWindow { get; init; }

    /// <summary>Answer to compaction (summary) requests. Default: a fixed summary naming the message count.</summary>
    [JsonPropertyName("summary")] public string? Summary { get; init; }
}

public sealed record ScriptRound
{
    [JsonPropertyName("events")] public IReadOnlyList<ScriptEvent> Events { get; init; } = [];
}

/// <summary>
/// One scripted step: <c>text {text}</c>, <c>thinking {text}</c>, <c>function_call {id, function, payload, tool?}</c>,
/// <c>usage {input, output, cost_usd}</c>, <c>stop {stop_reason}</c>, <c>error {message, error_kind}</c>,
/// <c>delay {ms}</c>, <c>throw {message, transient, times?}</c> or <c>hang</c> (waits until cancelled).
/// </summary>
public sealed record ScriptEvent
{
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("text")] public string? Text { get; init; }
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("function")] public string? Function { get; init; }
    [JsonPropertyName("payload")] public JsonElement? Payload { get; init; }
    [JsonPropertyName("tool")] public string? Tool { get; init; }
    [JsonPropertyName("input")] public long? Input { get; init; }
    [JsonPropertyName("output")] public long? Output { get; init; }
    [JsonPropertyName("cost_usd")] public double? CostUsd { get; init; }
    [JsonPropertyName("stop_reason")] public string? StopReason { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("error_kind")] public string? ErrorKind { get; init; }
    [JsonPropertyName("ms")] public int? Ms { get; init; }
    [JsonPropertyName("transient")] public bool? Transient { get; init; }

    /// <summary>For <c>throw</c>: only the first N times this event is reached in this process (then it is skipped).</summary>
    [JsonPropertyName("times")] public int? Times { get; init; }
}
