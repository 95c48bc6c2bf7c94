using Harness.Functions;
using Microsoft.Extensions.Hosting;

namespace Harness.Bridge.Functions;

/// <summary>
/// Serves an agent's <c>engine::register_trigger</c> / <c>engine::unregister_trigger</c> in-process
/// (<see cref="LocalFunctionRegistry"/> comes before the bus), so a subscription is owned by the calling session and
/// recorded where <c>harness::triggers::list</c> reads it (<see cref="SessionTriggers"/>).
/// </summary>
public sealed class SessionTriggerIntercepts(LocalFunctionRegistry local, SessionTriggers triggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        local.Register(SessionTriggers.RegisterId, (payload, _) => triggers.RegisterAsync(payload));
        local.Register(SessionTriggers.UnregisterId, (payload, _) => triggers.UnregisterOwnAsync(payload));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
