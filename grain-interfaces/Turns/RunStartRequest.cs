using Harness.Messages;
using Harness.Validation;

namespace Harness.Turns;

/// <summary><c>run::start</c> payload (spec §2.2). Flat only: <c>{payload}</c>/<c>{data}</c> wrappers are rejected by the bridge.</summary>
[GenerateSerializer]
public sealed record RunStartRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("message_id")] public string? MessageId { get; init; }
    [Id(2), JsonPropertyName("provider")] public string? Provider { get; init; }
    [Id(3), JsonPropertyName("model")] public string? Model { get; init; }
    [Id(4), JsonPropertyName("mode")] public string? Mode { get; init; }
    [Id(5), JsonPropertyName("messages")] public IReadOnlyList<AgentMessage>? Messages { get; init; }
    [Id(6), JsonPropertyName("max_turns")] public int? MaxTurns { get; init; }
    [Id(7), JsonPropertyName("system_prompt")] public string? SystemPrompt { get; init; }
    [Id(8), JsonPropertyName("thinking_level")] public string? ThinkingLevel { get; init; }

    /// <summary>Budget <c>workspace:&lt;id&gt;</c> checked before every model call (our addition; optional).</summary>
    [Id(9), JsonPropertyName("workspace_id")] public string? WorkspaceId { get; init; }

    /// <summary>Budget <c>agent:&lt;id&gt;</c> checked before every model call (our addition; optional).</summary>
    [Id(10), JsonPropertyName("agent_id")] public string? AgentId { get; init; }

    /// <summary>C4 dispatch policy (<c>harness::send</c> <c>options.functions</c>); null = unrestricted.</summary>
    [Id(11), JsonPropertyName("functions")] public FunctionPolicy? Functions { get; init; }

    public static readonly string[] Modes = ["plan", "ask", "agent"];

    /// <summary>Throws <see cref="PayloadValidationException"/> naming the first bad field.</summary>
    public void Validate()
    {
        Require.Key(SessionId, "session_id");
        if (Provider is null)
        {
            throw new PayloadValidationException("provider", "is required (a provider name, may be empty to route by model)");
        }
        Require.NonEmpty(Model, "model");
        if (Mode is not null)
        {
            Require.OneOf(Mode, "mode", Modes);
        }
        if (MaxTurns is < 1)
        {
            throw new PayloadValidationException("max_turns", "must be a positive integer");
        }
        for (var i = 0; i < (Messages?.Count ?? 0); i++)
        {
            var m = Messages![i];
            if (m is null)
            {
                throw new PayloadValidationException($"messages[{i}]", "must be an object");
            }
            Require.OneOf(m.Role, $"messages[{i}].role", Roles.User, Roles.Assistant, Roles.FunctionResult, Roles.Custom);
        }
    }
}
