namespace Harness.Functions;

/// <summary>
/// Invokes a target function by id (an <c>agent_trigger</c> call). The cluster has an in-process implementation
/// for functions registered in the silo; the iii bridge adds the bus.
/// </summary>
public interface IFunctionInvoker
{
    /// <summary>Returns the raw JSON result. Throws <see cref="FunctionNotFoundException"/> or <see cref="FunctionInvocationException"/>.</summary>
    Task<JsonElement> InvokeAsync(string functionId, JsonElement payload, CancellationToken cancellationToken);
}

/// <summary>No function with that id is registered anywhere the invoker can reach.</summary>
public sealed class FunctionNotFoundException(string functionId)
    : Exception($"function_not_found: {functionId}")
{
    public string FunctionId { get; } = functionId;
}

/// <summary>The target ran and failed; <see cref="Code"/> is the error code it reported.</summary>
public sealed class FunctionInvocationException(string code, string message)
    : Exception($"{code}: {message}")
{
    public string Code { get; } = code;
    public string Detail { get; } = message;
}
