namespace Harness.Silo.Auth;

/// <summary>Says at startup how the HTTP API is guarded (key names and scopes only, never a key or its hash).</summary>
public sealed partial class AuthModeReporter(IOptions<HarnessAuthOptions> options, ILogger<AuthModeReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var keys = options.Value.Keys;
        if (keys.Count == 0)
        {
            LogOpen(logger);
        }
        else
        {
            LogKeys(logger, string.Join(", ", keys.Select(k => $"{k.Key} [{string.Join(' ', k.Value.Scopes)}]")));
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP API: no API keys configured, open to loopback clients only (local demo); set Harness:Auth:Keys before exposing it")]
    private static partial void LogOpen(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP API: API key required; keys: {Keys}")]
    private static partial void LogKeys(ILogger logger, string keys);
}
