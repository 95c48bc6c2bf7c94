namespace Harness.Providers;

/// <summary>Built-in facts about one provider name: protocol, default endpoint, key variable and display name.</summary>
public sealed record ProviderProfile(
    string Name,
    string DisplayName,
    ProviderProtocol Protocol,
    string DefaultBaseUrl,
    string? ApiKeyEnvironmentVariable,
    bool RequiresApiKey,
    int? DefaultMaxTokens = null,
    bool SendsReasoningEffort = false,
    bool EchoesReasoningContent = false)
{
    /// <summary>The built-in table; <see cref="ProviderOptions"/> can override the endpoint, key variable and name.</summary>
    public static readonly IReadOnlyList<ProviderProfile> BuiltIn =
    [
        new(ProviderNames.Anthropic, "Anthropic", ProviderProtocol.AnthropicMessages, "https://api.anthropic.com", "ANTHROPIC_API_KEY", true, DefaultMaxTokens: 8192),
        new(ProviderNames.OpenAi, "OpenAI", ProviderProtocol.OpenAiChat, "https://api.openai.com/v1", "OPENAI_API_KEY", true, SendsReasoningEffort: true),
        // Moonshot's thinking models want their reasoning_content echoed back on tool-call turns.
        new(ProviderNames.Kimi, "Kimi (Moonshot)", ProviderProtocol.OpenAiChat, "https://api.moonshot.ai/v1", "MOONSHOT_API_KEY", true, EchoesReasoningContent: true),
        new(ProviderNames.LmStudio, "LM Studio", ProviderProtocol.OpenAiChat, "http://127.0.0.1:1234/v1", null, false),
        new(ProviderNames.LlamaCpp, "llama.cpp", ProviderProtocol.OpenAiChat, "http://127.0.0.1:8080/v1", null, false),
    ];

    public static ProviderProfile? Find(string name) =>
        BuiltIn.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
