namespace Harness.Approvals;

public sealed partial class ApprovalGate
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Denied human-only function {FunctionId} (call {CallId})")]
    private partial void LogHumanOnly(string functionId, string callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Denied {FunctionId} (call {CallId}) because the gate could not decide: {Reason}")]
    private partial void LogGateUnavailable(string functionId, string callId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Approval gate read {What} of {Key} unavailable (read {Attempt} of {Attempts}: {Reason}); reading again in {DelayMs} ms")]
    private partial void LogSettingsRetry(string what, string key, int attempt, int attempts, double delayMs, string reason);
}
