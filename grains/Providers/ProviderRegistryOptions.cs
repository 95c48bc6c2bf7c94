namespace Harness.Providers;

/// <summary>Settings of the provider registry, bound from <c>Harness:ProviderRegistry</c>.</summary>
public sealed class ProviderRegistryOptions
{
    public const string SectionName = "Harness:ProviderRegistry";

    /// <summary>
    /// Whether <c>harness::provider::resolve</c> hands API keys to the provider workers that ask (what the original
    /// provider workers need to call their upstream). Off by default: the reply then has <c>credential:null</c> and
    /// <c>credential_withheld:true</c> when a key exists. Agents are refused the function whatever this says.
    /// </summary>
    public bool ServeCredentials { get; set; }

    /// <summary>
    /// How long a silo reuses its snapshot of the bus-registered providers when routing a turn. A name it does not
    /// know is looked up at once, so this only delays a bus provider taking over a built-in name on other silos.
    /// Default 5 s.
    /// </summary>
    public TimeSpan RegistrationCacheTtl { get; set; } = TimeSpan.FromSeconds(5);
}
