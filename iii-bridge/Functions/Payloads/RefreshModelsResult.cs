namespace Harness.Bridge.Functions.Payloads;

/// <summary>Reply of <c>provider::&lt;id&gt;::refresh_models</c>: <c>{registered}</c>, the model ids now in the catalog for it.</summary>
public sealed record RefreshModelsResult
{
    [JsonPropertyName("registered")] public IReadOnlyList<string> Registered { get; init; } = [];

    /// <summary>How many models are now listed for the provider (what the C4 console's setup flow reads).</summary>
    [JsonPropertyName("count")] public int Count => Registered.Count;
}
