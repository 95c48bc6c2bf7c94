namespace Harness.Bridge.Functions.Payloads;

/// <summary>Reply of <c>provider::&lt;id&gt;::refresh_models</c>: <c>{registered}</c>, the model ids now in the catalog for it.</summary>
public sealed record RefreshModelsResult
{
    [JsonPropertyName("registered")] public IReadOnlyList<string> Registered { get; init; } = [];
}
