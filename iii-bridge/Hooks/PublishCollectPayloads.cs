namespace Harness.Bridge.Hooks;

/// <summary>
/// <c>hook-fanout::publish_collect {topic, payload?, merge_rule, timeout_ms?, expected_replies?, quiescence_ms?}</c>
/// (harness-core §7).
/// </summary>
public sealed record PublishCollectRequest
{
    [JsonPropertyName("topic")] public string? Topic { get; init; }
    [JsonPropertyName("payload")] public JsonElement? Payload { get; init; }
    [JsonPropertyName("merge_rule")] public string? MergeRule { get; init; }
    [JsonPropertyName("timeout_ms")] public int? TimeoutMs { get; init; }
    [JsonPropertyName("expected_replies")] public int? ExpectedReplies { get; init; }
    [JsonPropertyName("quiescence_ms")] public int? QuiescenceMs { get; init; }
}

/// <summary>
/// <c>{event_id, replies, merged, publish:{ok:true}|{ok:false, error?}, publish_failed?:true}</c>, plus the
/// <c>exit_reason</c> (<c>expected_replies</c> | <c>quiescence</c> | <c>deadline</c> | <c>deadline_no_replies</c>).
/// </summary>
public sealed record PublishCollectResult
{
    [JsonPropertyName("event_id")] public required string EventId { get; init; }
    [JsonPropertyName("replies")] public required IReadOnlyList<JsonElement> Replies { get; init; }
    [JsonPropertyName("merged"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public JsonElement Merged { get; init; }
    [JsonPropertyName("publish")] public required PublishOutcome Publish { get; init; }
    [JsonPropertyName("publish_failed")] public bool? PublishFailed { get; init; }
    [JsonPropertyName("exit_reason")] public required string ExitReason { get; init; }
}

public sealed record PublishOutcome
{
    [JsonPropertyName("ok")] public bool Ok { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
}
