namespace Harness.Providers;

public sealed partial class OpenAiCompatibleProvider
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Provider {Provider} streaming model {Model} ({MessageCount} messages, {ToolCount} tools)")]
    private static partial void LogStreamStarting(ILogger logger, string provider, string model, int messageCount, int toolCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} stream for model {Model} failed: {ErrorKind} (HTTP {Status})")]
    private static partial void LogStreamFailed(ILogger logger, string provider, string model, string errorKind, int? status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Provider {Provider} stream for model {Model} aborted")]
    private static partial void LogStreamAborted(ILogger logger, string provider, string model);
}
