namespace Harness.Bridge.Functions.Payloads;

/// <summary>One row of <c>router::models::list</c> (the C4 console's model picker).</summary>
public sealed record RouterModel
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("provider")] public required string Provider { get; init; }
    [JsonPropertyName("display_name")] public required string DisplayName { get; init; }
    [JsonPropertyName("context_window")] public long ContextWindow { get; init; }
    [JsonPropertyName("max_output_tokens")] public long? MaxOutputTokens { get; init; }
    [JsonPropertyName("supports_thinking")] public bool SupportsThinking { get; init; }
    [JsonPropertyName("supports_vision")] public bool SupportsVision { get; init; }
    [JsonPropertyName("supports_tools")] public bool SupportsTools { get; init; }

    /// <summary>Reasoning efforts the picker offers: none without thinking, low/medium/high with it, plus xhigh when supported.</summary>
    [JsonPropertyName("reasoning_efforts")] public IReadOnlyList<string> ReasoningEfforts { get; init; } = [];
}

/// <summary><c>router::models::list</c> answer.</summary>
public sealed record RouterModelsResult
{
    [JsonPropertyName("models")] public IReadOnlyList<RouterModel> Models { get; init; } = [];
}

/// <summary>One row of <c>router::provider::list</c>.</summary>
public sealed record RouterProvider
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("display_name")] public required string DisplayName { get; init; }
    [JsonPropertyName("supports_model_listing")] public bool SupportsModelListing { get; init; }
    [JsonPropertyName("credential_env_var")] public string? CredentialEnvVar { get; init; }
    [JsonPropertyName("configured")] public bool Configured { get; init; }

    /// <summary>The provider can be dispatched to now (in-process, configured on the bus, or registered over it).</summary>
    [JsonPropertyName("available")] public bool Available { get; init; }
}

/// <summary><c>router::provider::list</c> answer.</summary>
public sealed record RouterProvidersResult
{
    [JsonPropertyName("providers")] public IReadOnlyList<RouterProvider> Providers { get; init; } = [];
}
