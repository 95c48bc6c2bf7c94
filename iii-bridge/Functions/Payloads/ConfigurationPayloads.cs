namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>configuration::get {id, raw?}</c> / <c>configuration::set {id, value}</c> (the configuration worker's calls).</summary>
public sealed record ConfigurationRequest
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    /// <summary>Accepted and ignored: this entry holds no <c>${VAR}</c> templates, so raw and expanded are the same.</summary>
    [JsonPropertyName("raw")] public bool? Raw { get; init; }

    [JsonPropertyName("value")] public JsonElement? Value { get; init; }
}

public sealed record ConfigurationGetResult
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("value")] public required JsonElement Value { get; init; }
}

public sealed record ConfigurationSetResult
{
    [JsonPropertyName("new_value")] public required JsonElement NewValue { get; init; }
    [JsonPropertyName("old_value")] public JsonElement? OldValue { get; init; }
}
