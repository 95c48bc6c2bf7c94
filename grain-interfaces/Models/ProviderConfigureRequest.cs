using Harness.Validation;

namespace Harness.Models;

/// <summary>
/// Payload of <c>harness::provider::configure</c>: <c>{provider, api_key?, api_url?, max_tokens?}</c>. A field left
/// out keeps its stored value; an empty string for <c>api_key</c> or <c>api_url</c> removes the stored value (the
/// provider then falls back to configuration and environment).
/// </summary>
[GenerateSerializer]
public sealed record ProviderConfigureRequest
{
    /// <summary>Upper bound for <c>max_tokens</c>, as in the TS configuration schema (1..1048576).</summary>
    public const int MaxTokensLimit = 1_048_576;

    [Id(0), JsonPropertyName("provider")] public string? Provider { get; init; }
    [Id(1), JsonPropertyName("api_key")] public string? ApiKey { get; init; }
    [Id(2), JsonPropertyName("api_url")] public string? ApiUrl { get; init; }
    [Id(3), JsonPropertyName("max_tokens")] public int? MaxTokens { get; init; }

    /// <summary>Throws <see cref="PayloadValidationException"/> naming the first bad field.</summary>
    public void Validate()
    {
        Require.Key(Provider, "provider");
        if (ApiKey is { Length: > 0 } key && (key.Length > 4096 || key.Any(char.IsWhiteSpace)))
        {
            throw new PayloadValidationException("api_key", "must be at most 4096 characters without whitespace");
        }
        if (ApiUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            throw new PayloadValidationException("api_url", "must be an absolute http(s) URL");
        }
        if (MaxTokens is < 1 or > MaxTokensLimit)
        {
            throw new PayloadValidationException("max_tokens", $"must be between 1 and {MaxTokensLimit}");
        }
    }

    // The generated record ToString would print the key.
    public override string ToString() =>
        $"ProviderConfigureRequest {{ provider = {Provider}, api_key = {(ApiKey is null ? "null" : "***")}, api_url = {ApiUrl}, max_tokens = {MaxTokens} }}";
}
