namespace Harness.Models;

/// <summary>Where the API key a provider uses comes from, in order of precedence.</summary>
public static class ProviderKeySources
{
    /// <summary>Set at runtime through <c>harness::provider::configure</c> and kept by the provider-config grain.</summary>
    public const string Stored = "stored";

    /// <summary><c>Harness:Providers:&lt;name&gt;:ApiKey</c> in configuration.</summary>
    public const string Configuration = "configuration";

    /// <summary>The provider's environment variable (e.g. <c>OPENAI_API_KEY</c>).</summary>
    public const string Environment = "environment";
}
