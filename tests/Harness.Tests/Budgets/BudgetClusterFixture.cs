using Harness.Budgets;
using Harness.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;
using Xunit;

namespace Harness.Tests.Budgets;

/// <summary>A one-silo in-process cluster with memory storage "harness" and a manual budget clock.</summary>
public sealed class BudgetClusterFixture : IAsyncLifetime
{
    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IBudgetGrain Budget(string id) => Cluster.Client.GetGrain<IBudgetGrain>(id);

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) => host.Services.AddKeyedSingleton<TimeProvider>(BudgetGrain.ClockKey, Clock));
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage(HarnessStorage.Name).UseInMemoryReminderService());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
