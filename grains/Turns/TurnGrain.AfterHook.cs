using Microsoft.Extensions.DependencyInjection;

namespace Harness.Turns;

/// <summary>
/// The after-function-call hook inside the tool batch. It runs after the tool returned and before the result is
/// checkpointed as executed, while the call is still only <c>triggered</c>: a crash during the hook therefore ends the
/// call as interrupted on recovery and never invokes the tool again (at most once), and the hook's rewrite is stored
/// together with the result. A failing hook keeps the original result.
/// </summary>
public sealed partial class TurnGrain
{
    private IAfterFunctionCallHook? AfterHook => ServiceProvider.GetService<IAfterFunctionCallHook>();

    private async Task<FunctionResult> AfterFunctionCallAsync(FunctionCall call, FunctionResult result, CancellationToken cancellationToken)
    {
        if (AfterHook is not { } hook)
        {
            return result;
        }
        try
        {
            return await hook.AfterAsync(SessionId, call, result, cancellationToken) ?? result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return result;
        }
    }
}
