using Harness.Validation;

namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>models::get {provider, model_id}</c> and <c>models::supports {provider, model_id, capability}</c>.</summary>
public sealed record ModelLookupRequest
{
    [JsonPropertyName("provider")] public string? Provider { get; init; }
    [JsonPropertyName("model_id")] public string? ModelId { get; init; }

    /// <summary><c>models::supports</c> only.</summary>
    [JsonPropertyName("capability")] public string? Capability { get; init; }

    public (string Provider, string ModelId) Validate() => (Require.NonEmpty(Provider, "provider"), Require.NonEmpty(ModelId, "model_id"));
}
