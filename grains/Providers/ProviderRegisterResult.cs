namespace Harness.Providers;

/// <summary>Reply of <c>harness::provider::register</c>: <c>{ok:true}</c>.</summary>
public sealed record ProviderRegisterResult
{
    [System.Text.Json.Serialization.JsonPropertyName("ok")] public bool Ok { get; init; } = true;
}
