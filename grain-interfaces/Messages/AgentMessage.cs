namespace Harness.Messages;

/// <summary>
/// One transcript message, tagged by <c>role</c> (spec §1.1): <c>user</c>, <c>assistant</c>,
/// <c>function_result</c> or <c>custom</c>. Fields that do not belong to a role stay null and are not written.
/// </summary>
[GenerateSerializer]
public sealed record AgentMessage
{
    [Id(0), JsonPropertyName("role")] public required string Role { get; init; }
    [Id(1), JsonPropertyName("content")] public IReadOnlyList<ContentBlock> Content { get; init; } = [];
    [Id(2), JsonPropertyName("timestamp")] public long Timestamp { get; init; }

    // assistant
    [Id(3), JsonPropertyName("stop_reason")] public string? StopReason { get; init; }
    [Id(4), JsonPropertyName("error_message")] public string? ErrorMessage { get; init; }
    [Id(5), JsonPropertyName("error_kind")] public string? ErrorKind { get; init; }
    [Id(6), JsonPropertyName("usage")] public Usage? Usage { get; init; }
    [Id(7), JsonPropertyName("model")] public string? Model { get; init; }
    [Id(8), JsonPropertyName("provider")] public string? Provider { get; init; }

    // function_result
    [Id(9), JsonPropertyName("function_call_id")] public string? FunctionCallId { get; init; }
    [Id(10), JsonPropertyName("function_id")] public string? FunctionId { get; init; }
    [Id(11), JsonPropertyName("details")] public JsonElement? Details { get; init; }
    [Id(12), JsonPropertyName("is_error")] public bool? IsError { get; init; }

    // custom
    [Id(13), JsonPropertyName("custom_type")] public string? CustomType { get; init; }
    [Id(14), JsonPropertyName("display")] public bool? Display { get; init; }

    [JsonIgnore] public IEnumerable<ContentBlock> FunctionCalls => Content.Where(c => c.Type == ContentTypes.FunctionCall);

    [JsonIgnore] public string Text => string.Concat(Content.Where(c => c.Type == ContentTypes.Text).Select(c => c.Text));

    public static AgentMessage User(string text, long timestamp) =>
        new() { Role = Roles.User, Content = [ContentBlock.OfText(text)], Timestamp = timestamp };

    /// <summary><c>emptyAssistant</c> of the spec: no content, stop_reason end.</summary>
    public static AgentMessage EmptyAssistant(string provider, string model, long timestamp) =>
        new() { Role = Roles.Assistant, StopReason = StopReasons.End, Provider = provider, Model = model, Timestamp = timestamp };

    /// <summary>Synthetic assistant (spec §1.1): error/aborted get error_kind transient and the text as error_message.</summary>
    public static AgentMessage SyntheticAssistant(string stopReason, string? text, string provider, string model, long timestamp)
    {
        var failed = stopReason is StopReasons.Error or StopReasons.Aborted;
        return EmptyAssistant(provider, model, timestamp) with
        {
            StopReason = stopReason,
            Content = text is null ? [] : [ContentBlock.OfText(text)],
            ErrorKind = failed ? ErrorKinds.Transient : null,
            ErrorMessage = failed ? text ?? stopReason : null,
        };
    }
}

public static class Roles
{
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string FunctionResult = "function_result";
    public const string Custom = "custom";
}

public static class StopReasons
{
    public const string End = "end";
    public const string Length = "length";
    public const string FunctionCall = "function_call";
    public const string Aborted = "aborted";
    public const string Error = "error";
}

public static class ErrorKinds
{
    public const string AuthExpired = "auth_expired";
    public const string RateLimited = "rate_limited";
    public const string ContextOverflow = "context_overflow";
    public const string Transient = "transient";
    public const string Permanent = "permanent";
}
