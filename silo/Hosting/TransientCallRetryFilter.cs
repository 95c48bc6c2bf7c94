using Orleans.Runtime;

namespace Harness.Silo.Hosting;

/// <summary>
/// Retries grain calls that failed because their target silo just died (until membership declares it dead and the
/// grain re-activates elsewhere). Every harness call is safe to repeat: appends and budget records are idempotent by
/// id, and a repeated <c>run::start</c> answers <c>session_busy</c>.
/// </summary>
public sealed partial class TransientCallRetryFilter(IOptions<HarnessSiloOptions> options, ILogger<TransientCallRetryFilter> logger) : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var attempts = Math.Max(1, options.Value.CallRetryAttempts);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await context.Invoke();
                return;
            }
            catch (Exception ex) when (attempt < attempts && ex is SiloUnavailableException or OrleansMessageRejectionException)
            {
                var delay = TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 1));
                LogRetry(context.InterfaceName, context.MethodName, attempt, delay, ex.GetType().Name);
                await Task.Delay(delay);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "{Interface}.{Method}: target silo unavailable (attempt {Attempt}, {Error}); retrying in {Delay}")]
    private partial void LogRetry(string @interface, string method, int attempt, TimeSpan delay, string error);
}
