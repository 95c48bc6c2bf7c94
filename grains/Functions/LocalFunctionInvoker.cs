namespace Harness.Functions;

/// <summary>Invokes functions from the <see cref="LocalFunctionRegistry"/>; unknown ids are <c>function_not_found</c>.</summary>
public sealed class LocalFunctionInvoker(LocalFunctionRegistry registry) : IFunctionInvoker
{
    public Task<JsonElement> InvokeAsync(string functionId, JsonElement payload, CancellationToken cancellationToken) =>
        registry.TryGet(functionId, out var handler)
            ? handler(payload, cancellationToken)
            : throw new FunctionNotFoundException(functionId);
}
