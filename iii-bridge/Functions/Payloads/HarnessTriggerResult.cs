using Harness.Turns;

namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>harness::trigger</c> answer in HTTP-trigger shape: 200 when started, 409 when the session is busy.</summary>
public sealed record HarnessTriggerResult
{
    [JsonPropertyName("status_code")] public int StatusCode { get; init; }
    [JsonPropertyName("headers")] public IReadOnlyDictionary<string, string> Headers { get; init; } = JsonHeaders;
    [JsonPropertyName("body")] public required RunStartResult Body { get; init; }

    private static readonly IReadOnlyDictionary<string, string> JsonHeaders =
        new Dictionary<string, string> { ["content-type"] = "application/json" };

    public static HarnessTriggerResult From(RunStartResult result) =>
        new() { StatusCode = result.Started ? 200 : 409, Body = result };
}
