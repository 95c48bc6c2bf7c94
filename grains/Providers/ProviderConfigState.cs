using Harness.Models;

namespace Harness.Providers;

/// <summary>
/// Stored runtime configuration of one provider. The key is kept as given (grain storage is trusted; encrypting it
/// at rest is left to the storage provider).
/// </summary>
[GenerateSerializer]
public sealed record ProviderConfigState
{
    [Id(0)] public string? ApiKey { get; init; }
    [Id(1)] public string? ApiUrl { get; init; }
    [Id(2)] public int? MaxTokens { get; init; }
    [Id(3)] public long UpdatedAt { get; init; }

    public bool IsEmpty => ApiKey is null && ApiUrl is null && MaxTokens is null;

    /// <summary>Null fields keep the stored value; an empty string clears it.</summary>
    public ProviderConfigState Apply(ProviderConfigureRequest request, DateTimeOffset now) => this with
    {
        ApiKey = request.ApiKey is null ? ApiKey : NullIfEmpty(request.ApiKey),
        ApiUrl = request.ApiUrl is null ? ApiUrl : NullIfEmpty(request.ApiUrl),
        MaxTokens = request.MaxTokens ?? MaxTokens,
        UpdatedAt = now.ToUnixTimeMilliseconds(),
    };

    public ProviderCredentials? ToCredentials() =>
        IsEmpty ? null : new ProviderCredentials { ApiKey = ApiKey, ApiUrl = ApiUrl, MaxTokens = MaxTokens };

    public ProviderConfigStatus ToStatus(string provider) => new()
    {
        Provider = provider,
        HasApiKey = ApiKey is not null,
        ApiUrl = ApiUrl,
        MaxTokens = MaxTokens,
        UpdatedAt = UpdatedAt,
    };

    public override string ToString() =>
        $"ProviderConfigState {{ ApiKey = {(ApiKey is null ? "null" : "***")}, ApiUrl = {ApiUrl}, MaxTokens = {MaxTokens} }}";

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
