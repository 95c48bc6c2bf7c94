using Harness.Messages;

namespace Harness.Turns;

/// <summary>The run settings kept for the whole run (spec scope <c>run_request</c>).</summary>
[GenerateSerializer]
public sealed record RunRequest
{
    [Id(0), JsonPropertyName("provider")] public string Provider { get; init; } = "";
    [Id(1), JsonPropertyName("model")] public string Model { get; init; } = "";
    [Id(2), JsonPropertyName("mode")] public string? Mode { get; init; }
    [Id(3), JsonPropertyName("system_prompt")] public string SystemPrompt { get; init; } = "";
    [Id(4), JsonPropertyName("function_schemas")] public IReadOnlyList<AgentFunction> FunctionSchemas { get; init; } = [];
    [Id(5), JsonPropertyName("thinking_level")] public string? ThinkingLevel { get; init; }
    [Id(6), JsonPropertyName("workspace_id")] public string? WorkspaceId { get; init; }
    [Id(7), JsonPropertyName("agent_id")] public string? AgentId { get; init; }

    /// <summary>The run's dispatch policy; null = unrestricted (the approval gate alone decides).</summary>
    [Id(8), JsonPropertyName("functions")] public FunctionPolicy? Functions { get; init; }

    /// <summary>The <c>message_id</c> the run was started with: a retried start of the same message is not run again.</summary>
    [Id(9), JsonPropertyName("message_id")] public string? MessageId { get; init; }

    /// <summary>Budget grain keys that apply to this run.</summary>
    [JsonIgnore]
    public IEnumerable<string> BudgetIds =>
        new[] { WorkspaceId is { Length: > 0 } w ? $"workspace:{w}" : null, AgentId is { Length: > 0 } a ? $"agent:{a}" : null }.OfType<string>();
}
