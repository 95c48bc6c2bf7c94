using Harness.Turns;

namespace Harness.Bridge.Functions.Payloads;

/// <summary>
/// <c>harness::trigger</c> payload (console "send"): the outer ids only seed tracing baggage; <c>payload</c> is the
/// flat <c>run::start</c> payload and is what starts the run.
/// </summary>
public sealed record HarnessTriggerRequest
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("message_id")] public string? MessageId { get; init; }
    [JsonPropertyName("payload")] public RunStartRequest? Payload { get; init; }
}
