using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Bridge.Hosting;
using Harness.Functions;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Invoker;

/// <summary>
/// <see cref="IFunctionInvoker"/> for grain-side tool calls when the bridge is on: functions served in this silo
/// (<see cref="LocalFunctionRegistry"/>) run in-process, everything else goes out as <c>invokefunction</c> on the bus.
/// Engine <c>function_not_found</c> becomes <see cref="FunctionNotFoundException"/>; any other error (including our
/// own <c>TIMEOUT</c>) becomes <see cref="FunctionInvocationException"/> with the wire code.
/// </summary>
public sealed class IiiFunctionInvoker(LocalFunctionRegistry local, IiiWorkerClient client, IOptions<IiiBridgeOptions> options) : IFunctionInvoker
{
    public async Task<JsonElement> InvokeAsync(string functionId, JsonElement payload, CancellationToken cancellationToken)
    {
        if (local.TryGet(functionId, out var handler))
        {
            return await handler(payload, cancellationToken);
        }
        try
        {
            return await client.InvokeAsync(functionId, payload, options.Value.ToolInvocationTimeout, null, cancellationToken);
        }
        catch (IiiInvocationException ex) when (ex.Code == IiiErrorCodes.FunctionNotFound)
        {
            throw new FunctionNotFoundException(functionId);
        }
        catch (IiiInvocationException ex)
        {
            throw new FunctionInvocationException(ex.Code, ex.Detail);
        }
    }
}
