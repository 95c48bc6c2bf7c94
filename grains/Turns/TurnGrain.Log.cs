namespace Harness.Turns;

public sealed partial class TurnGrain
{
    [LoggerMessage(1, LogLevel.Information, "Resuming turn {SessionId} in state {State}")]
    private partial void LogResuming(string sessionId, string state);

    [LoggerMessage(2, LogLevel.Warning, "Turn {SessionId}: step {State} failed")]
    private partial void LogStepFailed(Exception error, string sessionId, string state);

    [LoggerMessage(3, LogLevel.Warning, "Turn {SessionId}: transient failure in {State}, retry {Attempt}")]
    private partial void LogTransient(Exception error, string sessionId, string state, int attempt);

    [LoggerMessage(4, LogLevel.Error, "Turn {SessionId}: step {State} crashed; the wake-up reminder will retry")]
    private partial void LogStepCrashed(Exception error, string sessionId, string state);

    [LoggerMessage(5, LogLevel.Warning, "Turn {SessionId}: emitting {EventType} failed")]
    private partial void LogEmitFailed(Exception error, string sessionId, string eventType);

    [LoggerMessage(6, LogLevel.Error, "Turn {SessionId}: storing the decision for {FunctionCallId} failed")]
    private partial void LogResolveFailed(Exception error, string sessionId, string functionCallId);
}
