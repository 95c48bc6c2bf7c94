namespace Harness.Bridge.Functions.Payloads;

/// <summary>Reply of <c>models::supports</c>: <c>{supported}</c>.</summary>
public sealed record ModelSupportsResult
{
    [JsonPropertyName("supported")] public bool Supported { get; init; }
}
