namespace Harness.Providers;

/// <summary>Which upstream wire protocol a provider speaks.</summary>
public enum ProviderProtocol
{
    /// <summary>OpenAI chat completions (<c>POST {base}/chat/completions</c>, <c>GET {base}/models</c>).</summary>
    OpenAiChat,

    /// <summary>Anthropic Messages (<c>POST {base}/v1/messages</c>, <c>GET {base}/v1/models</c>).</summary>
    AnthropicMessages,
}
