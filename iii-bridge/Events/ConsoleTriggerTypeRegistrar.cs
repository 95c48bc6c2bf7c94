using Harness.Bridge.Client;
using Harness.Events;
using Microsoft.Extensions.Hosting;

namespace Harness.Bridge.Events;

/// <summary>
/// Declares every C4 trigger type (<see cref="ConsoleTriggerTypes.All"/>) on the worker its prefix maps to, before the
/// client connects (the connection replays them after each reconnect).
/// </summary>
public sealed class ConsoleTriggerTypeRegistrar(IiiWorkerClient client, ConsoleTriggerTypeHandler handler) : IHostedService
{
    private static readonly JsonNode TriggerRequestFormat = JsonNode.Parse("""
        {"type":"object","properties":{"session_id":{"type":["string","null"],"description":"Only this session's events; omit for every session."}}}
        """)!;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (type, description) in ConsoleTriggerTypes.All)
        {
            client.RegisterTriggerType(type, description, handler, TriggerRequestFormat.DeepClone());
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
