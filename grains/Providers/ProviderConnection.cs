namespace Harness.Providers;

/// <summary>
/// Everything one upstream call needs, resolved per request. <see cref="ToString"/> masks the key so the connection
/// can appear in logs and exceptions safely.
/// </summary>
public sealed record ProviderConnection(string Provider, Uri BaseUrl, string? ApiKey, string? KeySource, int? MaxTokens)
{
    /// <summary>False when the provider needs a key and none was found.</summary>
    public bool HasKey => !string.IsNullOrEmpty(ApiKey);

    public override string ToString() =>
        $"ProviderConnection {{ Provider = {Provider}, BaseUrl = {BaseUrl}, ApiKey = {(HasKey ? "***" : "none")}, KeySource = {KeySource}, MaxTokens = {MaxTokens} }}";
}
