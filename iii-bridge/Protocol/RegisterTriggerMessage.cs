namespace Harness.Bridge.Protocol;

/// <summary>
/// <c>registertrigger</c>: W→E binds a trigger instance (the worker picks the id and keeps it across reconnects);
/// E→W forwards a binding to the worker that provides the type. <c>config</c> must be present (<c>{}</c> is fine).
/// </summary>
public sealed record RegisterTriggerMessage : IiiMessage
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("trigger_type")] public required string TriggerType { get; init; }
    [JsonPropertyName("function_id")] public required string FunctionId { get; init; }

    [JsonPropertyName("config"), JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required JsonElement? Config { get; init; }

    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }

    /// <summary>HEAD only: where the target function resolves.</summary>
    [JsonPropertyName("namespace")] public string? Namespace { get; init; }

    /// <summary>HEAD only: where the type's provider resolves.</summary>
    [JsonPropertyName("trigger_namespace")] public string? TriggerNamespace { get; init; }
}
