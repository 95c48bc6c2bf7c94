namespace Harness.Bridge.Functions;

/// <summary>
/// One engine→worker call of a published function. <see cref="Data"/> is the payload as sent (it may still carry
/// the engine's <c>_caller_worker_id</c>); <see cref="Metadata"/> is the trigger/invocation sidecar.
/// </summary>
public sealed record BridgeInvocation(
    string FunctionId,
    JsonElement Data,
    JsonElement? Metadata = null,
    Guid? InvocationId = null,
    string? CallerWorkerId = null,
    string? Traceparent = null,
    string? Baggage = null);
