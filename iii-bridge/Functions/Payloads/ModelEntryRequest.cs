using Harness.Models;
using Harness.Validation;

namespace Harness.Bridge.Functions.Payloads;

/// <summary>
/// A Model as a provider writes it (<c>models::register</c>, one entry of <c>models::reconcile</c>). The catalog keeps
/// <c>id, provider, display_name, context_window, max_output_tokens</c>; other Model fields are accepted and dropped.
/// </summary>
public sealed record ModelEntryRequest
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("provider")] public string? Provider { get; init; }
    [JsonPropertyName("display_name")] public string? DisplayName { get; init; }
    [JsonPropertyName("context_window")] public long? ContextWindow { get; init; }
    [JsonPropertyName("max_output_tokens")] public long? MaxOutputTokens { get; init; }

    /// <param name="prefix">Field path of this entry in the request (e.g. <c>models[2].</c>), for error messages.</param>
    public ModelInfo ToModel(string provider, string prefix = "")
    {
        var id = Require.NonEmpty(Id, prefix + "id");
        if (ContextWindow is <= 0)
        {
            throw new PayloadValidationException(prefix + "context_window", "must be positive");
        }
        if (MaxOutputTokens is <= 0)
        {
            throw new PayloadValidationException(prefix + "max_output_tokens", "must be positive");
        }
        return new ModelInfo { Id = id, Provider = provider, DisplayName = DisplayName, ContextWindow = ContextWindow, MaxOutputTokens = MaxOutputTokens };
    }
}

/// <summary><c>models::reconcile {provider, models: Model[]}</c>.</summary>
public sealed record ModelsReconcileRequest
{
    [JsonPropertyName("provider")] public string? Provider { get; init; }
    [JsonPropertyName("models")] public List<JsonElement>? Models { get; init; }
}

/// <summary>Reply of <c>models::register</c>: <c>{key:"models:&lt;provider&gt;:&lt;id&gt;", registered:true}</c>.</summary>
public sealed record ModelRegisterResult
{
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("registered")] public bool Registered { get; init; } = true;
}

/// <summary><c>harness::provider::resolve {provider}</c>.</summary>
public sealed record ProviderResolveRequest
{
    [JsonPropertyName("provider")] public string? Provider { get; init; }
}
