using Orleans.Concurrency;

namespace Harness.Models;

/// <summary>
/// Runtime configuration of one provider (key = provider name): API key, base URL and max tokens set from the console
/// (<c>harness::provider::configure</c>). Stored values win over configuration and environment.
/// </summary>
public interface IProviderConfigGrain : IGrainWithStringKey
{
    /// <summary>Applies <paramref name="request"/> (validated; its <c>provider</c> must match the grain key).</summary>
    Task<ProviderConfigStatus> Configure(ProviderConfigureRequest request);

    /// <summary>What is stored, without the key.</summary>
    [AlwaysInterleave]
    Task<ProviderConfigStatus> GetStatus();

    /// <summary>Silo-internal: the stored overrides including the key, or null when nothing is stored.</summary>
    [AlwaysInterleave]
    Task<ProviderCredentials?> GetCredentials();

    /// <summary>Removes everything stored for this provider.</summary>
    Task Clear();
}
