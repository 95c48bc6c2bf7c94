namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>models::list {provider?, capability?}</c>: an unknown capability string is ignored (as the original).</summary>
public sealed record ModelsListRequest
{
    [JsonPropertyName("provider")] public string? Provider { get; init; }
    [JsonPropertyName("capability")] public string? Capability { get; init; }
}
