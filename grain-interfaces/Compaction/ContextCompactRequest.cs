using Harness.Messages;
using Harness.Validation;

namespace Harness.Compaction;

/// <summary>
/// <c>context::compact {messages, model:{id, provider?, limits?}, options?:{lease_key?, previous_summary?}}</c>: the
/// context-manager call the C4 console's <c>/compact</c> makes. Stateless: the caller stores the summary (as a
/// <c>compaction</c> custom entry); <c>lease_key</c> (the session id) serialises compactions of one conversation.
/// </summary>
[GenerateSerializer]
public sealed record ContextCompactRequest
{
    [Id(0), JsonPropertyName("messages")] public IReadOnlyList<AgentMessage>? Messages { get; init; }
    [Id(1), JsonPropertyName("model")] public ContextCompactModel? Model { get; init; }
    [Id(2), JsonPropertyName("options")] public ContextCompactOptions? Options { get; init; }

    public void Validate()
    {
        if (Messages is null)
        {
            throw new PayloadValidationException("messages", "is required (an array of AgentMessage)");
        }
        for (var i = 0; i < Messages.Count; i++)
        {
            if (Messages[i] is null || string.IsNullOrEmpty(Messages[i].Role))
            {
                throw new PayloadValidationException($"messages[{i}].role", "is required");
            }
        }
        Require.NonEmpty(Model?.Id, "model.id");
        if (Model!.Limits is { ContextWindow: < 0 })
        {
            throw new PayloadValidationException("model.limits.context_window", "must not be negative");
        }
        if (Options?.LeaseKey is { } key)
        {
            Require.Key(key, "options.lease_key");
        }
    }
}

/// <summary><c>{id, provider?, limits?:{context_window, max_output_tokens, input_limit?}}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ContextCompactModel
{
    [Id(0), JsonPropertyName("id")] public string? Id { get; init; }
    [Id(1), JsonPropertyName("provider")] public string? Provider { get; init; }
    [Id(2), JsonPropertyName("limits")] public ContextCompactLimits? Limits { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ContextCompactLimits
{
    [Id(0), JsonPropertyName("context_window")] public long? ContextWindow { get; init; }
    [Id(1), JsonPropertyName("max_output_tokens")] public long? MaxOutputTokens { get; init; }
    [Id(2), JsonPropertyName("input_limit")] public long? InputLimit { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ContextCompactOptions
{
    [Id(0), JsonPropertyName("lease_key")] public string? LeaseKey { get; init; }
    [Id(1), JsonPropertyName("previous_summary")] public string? PreviousSummary { get; init; }
}

/// <summary>
/// <c>context::compact</c> answer: <c>{status:"ok", summary, tail_start_index, tokens_before, tokens_after,
/// used_prior_summary}</c> | <c>{status:"busy"}</c> | <c>{status:"empty"}</c> | <c>{status:"overflow", message}</c>.
/// <c>tail_start_index</c> indexes the request's <c>messages</c>: the first one kept verbatim.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ContextCompactReply
{
    [Id(0), JsonPropertyName("status")] public required string Status { get; init; }
    [Id(1), JsonPropertyName("summary")] public string? Summary { get; init; }
    [Id(2), JsonPropertyName("tail_start_index")] public int? TailStartIndex { get; init; }
    [Id(3), JsonPropertyName("tokens_before")] public long? TokensBefore { get; init; }
    [Id(4), JsonPropertyName("tokens_after")] public long? TokensAfter { get; init; }
    [Id(5), JsonPropertyName("used_prior_summary")] public bool? UsedPriorSummary { get; init; }
    [Id(6), JsonPropertyName("message")] public string? Message { get; init; }
}
