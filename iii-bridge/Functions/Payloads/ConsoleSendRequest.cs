using Harness.Serialization;
using Harness.ConsoleTurns;
using Harness.Messages;
using Harness.Turns;
using Harness.Validation;

namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>harness::send</c> payload (console-and-data §1.6; harness-e2e <c>SendRequest</c>).</summary>
public sealed record ConsoleSendRequest
{
    public static readonly string[] ThinkingLevels = ["minimal", "low", "medium", "high", "xhigh"];
    public static readonly string[] Modes = ["ask", "agent", "plan"];
    public static readonly string[] SystemPromptStrategies = ["enrich", "override", "disabled"];

    [JsonPropertyName("session_id")] public string? SessionId { get; init; }

    /// <summary>A string (a user text message) or an AgentMessage of role user or custom.</summary>
    [JsonPropertyName("message")] public JsonElement? Message { get; init; }
    [JsonPropertyName("model")] public string? Model { get; init; }
    [JsonPropertyName("provider")] public string? Provider { get; init; }
    [JsonPropertyName("idempotency_key")] public string? IdempotencyKey { get; init; }
    [JsonPropertyName("session")] public JsonElement? Session { get; init; }
    [JsonPropertyName("options")] public ConsoleSendOptions? Options { get; init; }

    /// <summary>Validates and maps to the ledger's command; a missing session id is minted.</summary>
    public ConsoleSendCommand ToCommand(long now)
    {
        var sessionId = string.IsNullOrEmpty(SessionId) ? $"sess-{Guid.NewGuid():N}" : Require.Key(SessionId, "session_id");
        var message = ReadMessage(Message, "message", now);
        var o = Options ?? new ConsoleSendOptions();
        if (o.Mode is not null)
        {
            Require.OneOf(o.Mode, "options.mode", Modes);
        }
        if (o.ThinkingLevel is not null)
        {
            Require.OneOf(o.ThinkingLevel, "options.thinking_level", ThinkingLevels);
        }
        if (o.SystemPromptStrategy is not null)
        {
            Require.OneOf(o.SystemPromptStrategy, "options.system_prompt_strategy", SystemPromptStrategies);
        }
        if (o.MaxTurns is < 1)
        {
            throw new PayloadValidationException("options.max_turns", "must be a positive integer");
        }
        var run = new RunStartRequest
        {
            SessionId = sessionId,
            MessageId = IdempotencyKey,
            Provider = Provider,
            Model = string.IsNullOrWhiteSpace(Model) ? null : Model,
            Mode = o.Mode,
            MaxTurns = o.MaxTurns,
            // This harness has no built-in identity prompt: enrich and override both send the caller's prompt as is.
            SystemPrompt = o.SystemPromptStrategy == "disabled" ? null : o.SystemPrompt,
            ThinkingLevel = o.ThinkingLevel,
            Functions = o.Functions?.ToPolicy(),
        };
        return new ConsoleSendCommand { Message = message, IdempotencyKey = string.IsNullOrEmpty(IdempotencyKey) ? null : IdempotencyKey, Run = run };
    }

    /// <summary>A string → user text message; an object → AgentMessage of role user or custom with a content array.</summary>
    public static AgentMessage ReadMessage(JsonElement? raw, string field, long now)
    {
        if (raw is not { } m || m.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            throw new PayloadValidationException(field, "is required (a string, or a message {role:\"user\", content:[…]})");
        }
        if (m.ValueKind == JsonValueKind.String)
        {
            var text = m.GetString()!;
            Require.NonEmpty(text, field);
            return AgentMessage.User(text, now);
        }
        if (m.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadValidationException(field, "must be a string or a message object");
        }
        if (!m.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            throw new PayloadValidationException($"{field}.content", "is required (an array of content blocks)");
        }
        AgentMessage message;
        try
        {
            message = m.Deserialize<AgentMessage>(WireJson.Options) ?? throw new PayloadValidationException(field, "must be a message object");
        }
        catch (JsonException ex)
        {
            throw new PayloadValidationException(ex.Path is { Length: > 1 } p ? $"{field}{p[1..]}" : field, ex.Message);
        }
        Require.OneOf(message.Role, $"{field}.role", Roles.User, Roles.Custom);
        for (var i = 0; i < message.Content.Count; i++)
        {
            if (message.Content[i] is null || string.IsNullOrEmpty(message.Content[i].Type))
            {
                throw new PayloadValidationException($"{field}.content[{i}].type", "is required");
            }
        }
        return message.Timestamp > 0 ? message : message with { Timestamp = now };
    }
}

/// <summary><c>harness::send</c> options (harness-e2e <c>SendOptions</c>); fields this harness does not use are accepted and ignored.</summary>
public sealed record ConsoleSendOptions
{
    [JsonPropertyName("mode")] public string? Mode { get; init; }
    [JsonPropertyName("functions")] public ConsoleFunctionPolicy? Functions { get; init; }
    [JsonPropertyName("system_prompt")] public string? SystemPrompt { get; init; }
    [JsonPropertyName("system_prompt_strategy")] public string? SystemPromptStrategy { get; init; }
    [JsonPropertyName("thinking_level")] public string? ThinkingLevel { get; init; }
    [JsonPropertyName("max_turns")] public int? MaxTurns { get; init; }
    [JsonPropertyName("provider_options")] public JsonElement? ProviderOptions { get; init; }
    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }
}

/// <summary><c>options.functions</c>: allow/deny patterns (exact ids or <c>prefix*</c>); <c>expose</c> is accepted and ignored.</summary>
public sealed record ConsoleFunctionPolicy
{
    [JsonPropertyName("allow")] public IReadOnlyList<string>? Allow { get; init; }
    [JsonPropertyName("deny")] public IReadOnlyList<string>? Deny { get; init; }
    [JsonPropertyName("expose")] public string? Expose { get; init; }

    public FunctionPolicy ToPolicy()
    {
        for (var i = 0; i < (Allow?.Count ?? 0); i++)
        {
            Require.NonEmpty(Allow![i], $"options.functions.allow[{i}]");
        }
        for (var i = 0; i < (Deny?.Count ?? 0); i++)
        {
            Require.NonEmpty(Deny![i], $"options.functions.deny[{i}]");
        }
        if (Expose is not null)
        {
            Require.OneOf(Expose, "options.functions.expose", "agent_trigger", "native");
        }
        return new FunctionPolicy { Allow = Allow ?? [], Deny = Deny ?? [] };
    }
}
