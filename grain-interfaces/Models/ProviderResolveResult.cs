namespace Harness.Models;

/// <summary>
/// Reply of <c>harness::provider::resolve {provider}</c> (harness-core §3.1):
/// <c>{configured, source, credential:{type:"api_key", key}|null, api_url, max_tokens}</c>. Carries a key only when the
/// silo opted in to serving credentials; then it must never be logged (<see cref="ToString"/> masks it). Null fields are written
/// as null, as the original does.
/// </summary>
public sealed record ProviderResolveResult
{
    [JsonPropertyName("configured")] public bool Configured { get; init; }
    [JsonPropertyName("source"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Source { get; init; }
    [JsonPropertyName("credential"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public ProviderApiKeyCredential? Credential { get; init; }
    [JsonPropertyName("api_url"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? ApiUrl { get; init; }
    [JsonPropertyName("max_tokens"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public int? MaxTokens { get; init; }

    /// <summary>True when a key exists but this silo does not hand keys out (<c>Harness:ProviderRegistry:ServeCredentials</c> off).</summary>
    [JsonPropertyName("credential_withheld"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool CredentialWithheld { get; init; }

    public override string ToString() =>
        $"ProviderResolveResult {{ configured = {Configured}, source = {Source}, credential = {(Credential is null ? "null" : "***")}, api_url = {ApiUrl}, max_tokens = {MaxTokens} }}";
}

/// <summary><c>{type:"api_key", key}</c>.</summary>
public sealed record ProviderApiKeyCredential
{
    [JsonPropertyName("type")] public string Type { get; init; } = "api_key";
    [JsonPropertyName("key")] public required string Key { get; init; }

    public override string ToString() => "ProviderApiKeyCredential { type = api_key, key = *** }";
}
