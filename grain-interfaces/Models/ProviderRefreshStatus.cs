namespace Harness.Models;

/// <summary>
/// Discovery outcome for one provider. On failure <c>ok</c> is false, <c>error</c> says why and <c>count</c> is the
/// number of entries kept from the previous successful refresh.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProviderRefreshStatus
{
    [Id(0), JsonPropertyName("provider")] public required string Provider { get; init; }
    [Id(1), JsonPropertyName("ok")] public bool Ok { get; init; }
    [Id(2), JsonPropertyName("count")] public int Count { get; init; }
    [Id(3), JsonPropertyName("error")] public string? Error { get; init; }

    /// <summary>Unix milliseconds of the last successful discovery, null when it never succeeded.</summary>
    [Id(4), JsonPropertyName("last_success_at")] public long? LastSuccessAt { get; init; }
}
