namespace Harness.Bridge.Client;

internal sealed partial class IiiWorkerConnection
{
    [LoggerMessage(2, LogLevel.Information, "Connected to iii engine {Url} as {WorkerName} (connection {Serial}); publishing {FunctionCount} functions")]
    private static partial void LogConnected(ILogger logger, string workerName, string url, int serial, int functionCount);

    [LoggerMessage(3, LogLevel.Information, "iii engine assigned worker id {WorkerId} to {WorkerName} (connection {Serial})")]
    private static partial void LogRegistered(ILogger logger, string workerName, string workerId, int serial);

    [LoggerMessage(4, LogLevel.Warning, "Connection {WorkerName} to iii engine {Url} lost: {Reason}")]
    private static partial void LogConnectionLost(ILogger logger, string workerName, Uri url, string reason);

    [LoggerMessage(5, LogLevel.Warning, "{WorkerName} could not connect to iii engine {Url} (attempt {Attempt}): {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string workerName, Uri url, int attempt, string reason);

    [LoggerMessage(6, LogLevel.Debug, "{WorkerName} reconnecting to iii engine in {DelayMs} ms (attempt {Attempt})")]
    private static partial void LogReconnecting(ILogger logger, string workerName, double delayMs, int attempt);

    [LoggerMessage(7, LogLevel.Information, "iii engine closed the connection {WorkerName} ({Status}: {Description})")]
    private static partial void LogEngineClosed(ILogger logger, string workerName, string status, string description);

    [LoggerMessage(8, LogLevel.Warning, "{WorkerName}: dropped an unreadable frame from the iii engine: {Reason}")]
    private static partial void LogBadFrame(ILogger logger, string workerName, string reason);

    [LoggerMessage(9, LogLevel.Warning, "Function {FunctionId} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string functionId);

    [LoggerMessage(10, LogLevel.Debug, "Result of {FunctionId} ({InvocationId}) dropped: its connection is gone")]
    private static partial void LogResultDropped(ILogger logger, string functionId, Guid invocationId);

    [LoggerMessage(11, LogLevel.Debug, "Result for unknown or expired invocation {InvocationId} ({FunctionId}) ignored")]
    private static partial void LogUnknownResult(ILogger logger, Guid invocationId, string functionId);

    [LoggerMessage(12, LogLevel.Warning, "iii engine rejected trigger {TriggerId} ({TriggerType} → {FunctionId}): {Error}")]
    private static partial void LogTriggerRejected(ILogger logger, string triggerId, string triggerType, string functionId, string error);

    [LoggerMessage(13, LogLevel.Warning, "iii engine rejected a registration: {Code} {Subject} (owned by {OwnerWorkerId})")]
    private static partial void LogRegistrationRejected(ILogger logger, string code, string subject, string ownerWorkerId);

    [LoggerMessage(14, LogLevel.Warning, "Trigger {TriggerId} could not be torn down")]
    private static partial void LogUnbindFailed(ILogger logger, Exception exception, string triggerId);

    [LoggerMessage(15, LogLevel.Warning, "Too many fire-and-forget calls queued while disconnected; dropped the oldest ({FunctionId})")]
    private static partial void LogVoidDropped(ILogger logger, string functionId);
}
