namespace Harness.Providers;

/// <summary>
/// Settings of one provider, bound from <c>Harness:Providers:&lt;name&gt;</c> (named options, name = provider name).
/// A key stored at runtime through <c>harness::provider::configure</c> wins over <see cref="ApiKey"/>, which wins over
/// the environment variable.
/// </summary>
public sealed class ProviderOptions
{
    /// <summary>Configuration section holding one sub-section per provider name.</summary>
    public const string SectionName = "Harness:Providers";

    /// <summary>Whether the provider is registered at silo start. Default <c>true</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>API key. Default null: the environment variable named by <see cref="ApiKeyEnvironmentVariable"/> is used.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Environment variable read when no key is stored or configured. Default per provider: <c>ANTHROPIC_API_KEY</c>,
    /// <c>OPENAI_API_KEY</c>, <c>MOONSHOT_API_KEY</c>; none for lmstudio and llamacpp.
    /// </summary>
    public string? ApiKeyEnvironmentVariable { get; set; }

    /// <summary>
    /// Base URL. Default per provider: anthropic <c>https://api.anthropic.com</c>, openai <c>https://api.openai.com/v1</c>,
    /// kimi <c>https://api.moonshot.ai/v1</c>, lmstudio <c>http://127.0.0.1:1234/v1</c>, llamacpp
    /// <c>http://127.0.0.1:8080/v1</c>. OpenAI-compatible URLs include the <c>/v1</c> segment; the Anthropic one does not.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>
    /// Max output tokens per request. Default: 8192 for anthropic (the API requires a value); null for the
    /// OpenAI-compatible providers (the server decides).
    /// </summary>
    public int? MaxTokens { get; set; }

    /// <summary>Display name in <c>harness::provider::list</c>. Default per provider (e.g. "LM Studio").</summary>
    public string? DisplayName { get; set; }

    /// <summary>
    /// Model ids always added to the catalog for this provider, on top of what discovery returns (useful when the
    /// server cannot list). Default empty.
    /// </summary>
    public List<string> Models { get; set; } = [];

    /// <summary>
    /// SDK retries for 408/429/5xx and network errors before a failure is reported. Default 2. Tests set 0 so
    /// error fixtures do not wait for back-off.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// Network timeout handed to the SDK: the OpenAI SDK applies it per read (a stream may run longer while data keeps
    /// arriving), the Anthropic SDK per request attempt. Default 5 minutes, as the TS provider trigger timeout.
    /// </summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
