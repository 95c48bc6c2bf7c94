using System.Text.Json;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Bridge.Hosting;
using Harness.Serialization;
using Harness.Tests.Bridge.StandIn;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Harness.Tests.Bridge;

/// <summary>Starts worker clients against a stand-in with test-friendly timings (fast reconnect, short timeouts).</summary>
internal static class TestClients
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static IiiBridgeOptions BridgeOptions(Uri engine, string name) => new()
    {
        EngineUrl = engine.ToString(),
        WorkerName = name,
        InvocationTimeout = TimeSpan.FromSeconds(5),
        ToolInvocationTimeout = TimeSpan.FromSeconds(5),
        EventPublishTimeout = TimeSpan.FromSeconds(5),
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ProviderChannelGrace = TimeSpan.FromMilliseconds(300),
        // Protocol tests count frames and bindings; the failover tests turn it on.
        ReclaimOrphanedIds = false,
    };

    /// <summary>A started client whose functions are all published (the stand-in routes them to it).</summary>
    public static async Task<IiiWorkerClient> StartAsync(EngineStandIn engine, BridgeFunctionCatalog catalog, string name = "bridge", Action<IiiBridgeOptions>? configure = null)
    {
        var options = BridgeOptions(engine.Url, name);
        configure?.Invoke(options);
        var client = new IiiWorkerClient(Microsoft.Extensions.Options.Options.Create(options), catalog, NullLogger<IiiWorkerClient>.Instance);
        await client.StartAsync(CancellationToken.None);
        var workerId = await client.WaitForRegistrationAsync(CancellationToken.None).WaitAsync(Patience);
        await EngineStandIn.WaitUntilAsync(
            () => catalog.All.All(f => engine.FunctionOwner(f.Id) is { } owner && owner == client.WorkerIdOf(f.Id)) && engine.WorkerNamed(name) is not null,
            Patience,
            $"{name}'s functions to be registered");
        return client;
    }

    public static async Task StopAsync(this IiiWorkerClient client)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await client.StopAsync(timeout.Token);
        client.Dispose();
    }

    /// <summary>A function answering <paramref name="answer"/>(payload) with no schema.</summary>
    public static BridgeFunctionDescriptor Function(string id, Func<BridgeInvocation, object?> answer) =>
        new(id, $"test function {id}", null, null, (invocation, _) => Task.FromResult(WireJson.ToElement(answer(invocation))));

    public static BridgeFunctionDescriptor AsyncFunction(string id, Func<BridgeInvocation, CancellationToken, Task<object?>> answer) =>
        new(id, $"test function {id}", null, null, async (invocation, ct) => WireJson.ToElement(await answer(invocation, ct)));

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
