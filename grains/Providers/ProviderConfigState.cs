using Harness.Models;

namespace Harness.Providers;

/// <summary>
/// Stored runtime configuration of one provider. The API key is stored only encrypted
/// (<see cref="ProtectedApiKey"/>, <see cref="ProviderKeyProtector"/>); <see cref="ApiKey"/> is the plaintext field of
/// rows written before that, read once and migrated by <see cref="ProviderConfigGrain"/> on activation.
/// </summary>
[GenerateSerializer]
public sealed record ProviderConfigState
{
    /// <summary>Legacy plaintext key (rows written before keys were encrypted); null in every row written now.</summary>
    [Id(0)] public string? ApiKey { get; init; }
    [Id(1)] public string? ApiUrl { get; init; }
    [Id(2)] public int? MaxTokens { get; init; }
    [Id(3)] public long UpdatedAt { get; init; }
    /// <summary>The API key encrypted by <see cref="ProviderKeyProtector"/>.</summary>
    [Id(4)] public string? ProtectedApiKey { get; init; }

    public bool HasApiKey => ProtectedApiKey is not null || ApiKey is not null;

    public bool IsEmpty => !HasApiKey && ApiUrl is null && MaxTokens is null;

    /// <summary>Null fields keep the stored value; an empty string clears it. A new key is stored through <paramref name="protect"/>.</summary>
    public ProviderConfigState Apply(ProviderConfigureRequest request, DateTimeOffset now, Func<string, string> protect) => this with
    {
        ApiKey = request.ApiKey is null ? ApiKey : null,
        ProtectedApiKey = request.ApiKey is null ? ProtectedApiKey : request.ApiKey.Length == 0 ? null : protect(request.ApiKey),
        ApiUrl = request.ApiUrl is null ? ApiUrl : NullIfEmpty(request.ApiUrl),
        MaxTokens = request.MaxTokens ?? MaxTokens,
        UpdatedAt = now.ToUnixTimeMilliseconds(),
    };

    /// <summary>A legacy plaintext key moved into <see cref="ProtectedApiKey"/>.</summary>
    public ProviderConfigState MigrateLegacyKey(Func<string, string> protect) =>
        ApiKey is null ? this : this with { ApiKey = null, ProtectedApiKey = protect(ApiKey) };

    /// <summary>What providers use; the key decrypted through <paramref name="unprotect"/>.</summary>
    public ProviderCredentials? ToCredentials(Func<string, string> unprotect) =>
        IsEmpty ? null : new ProviderCredentials { ApiKey = ProtectedApiKey is { } p ? unprotect(p) : ApiKey, ApiUrl = ApiUrl, MaxTokens = MaxTokens };

    public ProviderConfigStatus ToStatus(string provider) => new()
    {
        Provider = provider,
        HasApiKey = HasApiKey,
        ApiUrl = ApiUrl,
        MaxTokens = MaxTokens,
        UpdatedAt = UpdatedAt,
    };

    public override string ToString() =>
        $"ProviderConfigState {{ ApiKey = {(HasApiKey ? "***" : "null")}, ApiUrl = {ApiUrl}, MaxTokens = {MaxTokens} }}";

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
