using System.Security.Cryptography;
using System.Text;

namespace Harness.Silo.Auth;

/// <summary>
/// How API keys are stored in configuration: <c>sha256:</c> followed by the 64 hex digits of SHA-256 over the key's
/// UTF-8 bytes (<c>printf %s "$KEY" | sha256sum</c> gives the digits). Keys are long random strings, so a fast hash
/// is enough; the silo never needs the key itself.
/// </summary>
public static class ApiKeyHash
{
    public const string Prefix = "sha256:";

    public static string Compute(string key) => Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The 32 digest bytes of a configured hash, or null when it is not in the format above.</summary>
    public static byte[]? Parse(string? hash)
    {
        if (hash is null || !hash.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || hash.Length != Prefix.Length + 64)
        {
            return null;
        }
        try
        {
            return Convert.FromHexString(hash.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A new random key (32 bytes, base64url, prefix <c>hk_</c> so it is recognisable in a secret store).</summary>
    public static string NewKey() => "hk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
