using Harness.Tests.Infrastructure;
using Harness.Ui;

namespace Harness.Tests.Bridge;

/// <summary>UI subscriptions are stored (PostgreSQL), so a browser keeps its pushes across a full cluster restart.</summary>
public sealed class UiSubscriptionsRestartTests
{
    [Fact]
    public async Task Subscriptions_survive_a_cluster_restart()
    {
        var first = await HarnessCluster.StartAsync();
        var serviceId = first.ServiceId;
        var workspace = first.Workspace;
        var grain = first.Grains.GetGrain<IUiSubscriptionsGrain>(IUiSubscriptionsGrain.Key);
        await grain.Subscribe("console-a", null);
        await grain.Subscribe("console-a", "s-1");
        await grain.SubscribeModels("console-m");
        await first.StopAsync();

        await using var second = await HarnessCluster.StartAsync(serviceId: serviceId, workspace: workspace);
        var after = await second.Grains.GetGrain<IUiSubscriptionsGrain>(IUiSubscriptionsGrain.Key).Get();

        Assert.Equal([UiSubscriptions.AllSessions, "s-1"], after.Sessions["console-a"]);
        Assert.Equal(["console-m"], after.Models);
        Assert.Equal(["console-a"], after.BrowsersOf("s-2"));
    }
}
