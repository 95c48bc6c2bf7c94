using Harness.Models;

namespace Harness.Providers;

/// <summary>Runtime overrides of provider settings (the console's "configure provider"), consulted before configuration.</summary>
public interface IProviderKeyStore
{
    /// <summary>The stored overrides of <paramref name="provider"/>, or null when nothing is stored.</summary>
    ValueTask<ProviderCredentials?> GetAsync(string provider, CancellationToken cancellationToken);

    /// <summary>Applies a validated configure request and returns what is stored now (without the key).</summary>
    Task<ProviderConfigStatus> SetAsync(ProviderConfigureRequest request, CancellationToken cancellationToken);
}
