namespace Harness.Triggers;

/// <summary>
/// One browser binding of a worker-provided trigger type (console-and-data §1.6, §6(b)): fire <see cref="TriggerType"/>
/// to <see cref="FunctionId"/>, only for <see cref="SessionId"/> when the binding's <c>config.session_id</c> names one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ConsoleTriggerBinding
{
    [Id(0), JsonPropertyName("id")] public required string Id { get; init; }
    [Id(1), JsonPropertyName("trigger_type")] public required string TriggerType { get; init; }
    [Id(2), JsonPropertyName("function_id")] public required string FunctionId { get; init; }

    /// <summary><c>config.session_id</c>; null = every session (and the session-less types).</summary>
    [Id(3), JsonPropertyName("session_id")] public string? SessionId { get; init; }

    [Id(4), JsonPropertyName("created_at")] public long CreatedAt { get; init; }

    /// <summary>True when an event of <paramref name="sessionId"/> (null = not about one session) goes to this binding.</summary>
    public bool Matches(string triggerType, string? sessionId) =>
        TriggerType == triggerType && (SessionId is null || SessionId == sessionId);
}
