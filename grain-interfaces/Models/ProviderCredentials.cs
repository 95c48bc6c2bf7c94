namespace Harness.Models;

/// <summary>
/// Runtime overrides of one provider as stored by the provider-config grain. Silo-internal: it carries the key, so it
/// is never a function reply, never JSON-serialized (the key is <see cref="JsonIgnoreAttribute"/>) and
/// <see cref="ToString"/> masks it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProviderCredentials
{
    [Id(0), JsonIgnore] public string? ApiKey { get; init; }
    [Id(1)] public string? ApiUrl { get; init; }
    [Id(2)] public int? MaxTokens { get; init; }

    public override string ToString() =>
        $"ProviderCredentials {{ api_key = {(ApiKey is null ? "null" : "***")}, api_url = {ApiUrl}, max_tokens = {MaxTokens} }}";
}
