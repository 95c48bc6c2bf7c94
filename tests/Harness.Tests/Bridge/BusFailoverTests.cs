using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.Tests.Bridge.StandIn;
using Microsoft.Extensions.DependencyInjection;

namespace Harness.Tests.Bridge;

/// <summary>
/// Several bridge silos on one engine (stand-in with the engine's last-registration-wins and disconnect rules): when
/// the silo whose connections route the ids goes away, the others register the ids again and every function answers.
/// The process-level version (kill -9 of silo processes, a real iii-sdk caller) is <c>Cluster/BusFailoverProcessTests</c>.
/// </summary>
public sealed class BusFailoverTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Stopping_the_bridge_that_routes_the_ids_leaves_every_function_served_by_another_silo(short silos)
    {
        await using var h = await BridgeCluster.StartAsync(silos);
        var clients = h.Cluster.Silos.Select(s => h.Cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<IiiWorkerClient>()).ToList();
        foreach (var client in clients)
        {
            await client.WaitForAllRegistrationsAsync(TestContext.Current.CancellationToken).WaitAsync(TestClients.Patience, TestContext.Current.CancellationToken);
        }
        var owner = clients.Single(c => c.WorkerIdOf("turn::get_state") == h.Engine.FunctionOwner("turn::get_state"));
        var ownerConnections = owner.Workers.Values.ToHashSet();
        var served = clients.SelectMany(c => c.Workers.Values).SelectMany(id => h.Engine.FunctionsOwnedBy(id!))
            .Where(id => !id.StartsWith("harness::bridge::", StringComparison.Ordinal)).ToHashSet();
        var orphaned = served.Where(id => ownerConnections.Contains(h.Engine.FunctionOwner(id))).ToList();
        Assert.Contains("turn::get_state", orphaned);

        using (var stop = new CancellationTokenSource(TestClients.Patience))
        {
            await owner.StopAsync(stop.Token);
        }

        var survivors = clients.Where(c => c != owner).SelectMany(c => c.Workers.Values).ToHashSet();
        await EngineStandIn.WaitUntilAsync(
            () => served.All(id => h.Engine.FunctionOwner(id) is { } o && survivors.Contains(o)),
            TestClients.Patience, "the surviving silos to register every id again");
        Assert.DoesNotContain(h.Engine.Workers, w => ownerConnections.Contains(w.Id));
        Assert.True(clients.Where(c => c != owner).Sum(c => c.RepublishedRegistrations) >= orphaned.Count);

        await h.Engine.InvokeAsync("turn::get_state", new JsonObject { ["session_id"] = "after-failover" });
        var settings = await h.Engine.InvokeAsync("approval::get_settings", new JsonObject { ["session_id"] = "after-failover" });
        Assert.NotNull(settings);
        var messages = await h.Engine.InvokeAsync("session-tree::messages", new JsonObject { ["session_id"] = "after-failover" });
        Assert.NotNull(messages);
    }
}
