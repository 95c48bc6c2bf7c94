using Harness.Bridge.Functions;
using Harness.Bridge.Hosting;
using Harness.Tests.Bridge;

namespace Harness.Tests.Budgets;

/// <summary>A budget alert reaches a Node worker (real iii-sdk) over the bus, once per threshold.</summary>
public sealed class BudgetAlertNodeTests
{
    [Fact]
    public async Task A_node_worker_receives_each_alert_callback_exactly_once()
    {
        NodePeer.RequireAvailable();
        await using var h = await BridgeCluster.StartAsync(services: s => s.AddBridgeFunctions<BudgetBridgeFunctions>());

        var run = await NodePeer.RunAsync("budget-alert-worker.mjs", [h.Engine.Url.ToString(), "node::budget_alert"]);

        run.AssertSucceeded();
        var done = run.Lines.Single(l => l["event"]!.GetValue<string>() == "done");
        var budgetId = done["budget_id"]!.GetValue<string>();
        var alertIds = done["alert_ids"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
        var alerts = run.Lines.Where(l => l["event"]!.GetValue<string>() == "alert").Select(a => a["payload"]!.AsObject()).ToList();
        Assert.Equal(alertIds, alerts.Select(a => a["alert_id"]!.GetValue<string>()));
        Assert.All(alerts, a => Assert.Equal(budgetId, a["budget_id"]!.GetValue<string>()));
        Assert.Equal("node", alerts[0]["source"]!.GetValue<string>());
        Assert.Equal([0.5, 0.8], alerts.Select(a => a["threshold_pct"]!.GetValue<double>()));
        Assert.Equal([6, 8.5], alerts.Select(a => a["spent_usd"]!.GetValue<double>()));
    }
}
