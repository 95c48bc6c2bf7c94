namespace Harness.Turns;

/// <summary>
/// The v0.5 after-function-call hook (console-and-data §4): gets every result of a function the turn actually invoked,
/// before it is checkpointed as executed, and may return a rewritten result (content, details, terminate). Null keeps
/// the result. It cannot block the call: the call has already run. Optional; the bridge provides it.
/// </summary>
public interface IAfterFunctionCallHook
{
    Task<FunctionResult?> AfterAsync(string sessionId, FunctionCall call, FunctionResult result, CancellationToken cancellationToken);
}
