namespace Harness.Bridge.Functions;

/// <summary>
/// Serves one published function: returns the JSON result, or throws <see cref="BridgeFunctionException"/> (any other
/// exception becomes <c>invocation_failed</c>).
/// </summary>
public delegate Task<JsonElement> BridgeFunctionHandler(BridgeInvocation invocation, CancellationToken cancellationToken);
