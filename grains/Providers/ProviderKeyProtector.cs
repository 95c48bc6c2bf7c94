using Microsoft.AspNetCore.DataProtection;

namespace Harness.Providers;

/// <summary>
/// Encrypts provider API keys for storage with ASP.NET Core Data Protection. The silo persists the key ring in
/// PostgreSQL so every silo decrypts what another encrypted; a host without a configured key ring (tests, tools)
/// gets one process-wide ephemeral ring, which is enough for memory storage that dies with the process.
/// </summary>
public sealed class ProviderKeyProtector(IDataProtectionProvider? provider = null)
{
    /// <summary>Baked into every stored ciphertext: changing it makes stored keys unreadable.</summary>
    public const string Purpose = "Harness.Providers.ApiKey.v1";

    private static readonly Lazy<IDataProtectionProvider> ProcessWide = new(() => new EphemeralDataProtectionProvider());

    private readonly IDataProtector _protector = (provider ?? ProcessWide.Value).CreateProtector(Purpose);

    public string Protect(string apiKey) => _protector.Protect(apiKey);

    /// <summary>The key, or throws <see cref="System.Security.Cryptography.CryptographicException"/> when the ring lacks the key it was encrypted with.</summary>
    public string Unprotect(string protectedKey) => _protector.Unprotect(protectedKey);
}
