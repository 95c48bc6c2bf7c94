namespace Harness.Tests.Budgets;

/// <summary>
/// Alert callbacks are written with the spend and delivered after: one that cannot be delivered yet is retried, and
/// one still pending when the cluster stops is delivered by the next one; either way exactly once.
/// </summary>
public sealed class BudgetAlertDeliveryTests
{
    private static readonly DateTimeOffset Tuesday = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_alert_whose_callback_is_missing_is_retried_and_delivered_once_it_appears()
    {
        await using var b = await BudgetFunctionsHarness.StartAsync(Tuesday, registerCallback: false);
        var id = await b.CreateAsync(new { ceiling_usd = 10, period = "day" });
        await b.CallAsync("budget::alert_set", new { budget_id = id, threshold_pct = 0.5, callback_function_id = BudgetFunctionsHarness.CallbackId });

        await b.CallAsync("budget::record", new { budget_id = id, cost_usd = 7 });

        Assert.Equal(1, (await b.GetAsync(id)).GetProperty("pending_alert_deliveries").GetInt32());
        b.RegisterCallback();
        await b.WaitForDeliveriesAsync(id);
        await b.CallAsync("budget::record", new { budget_id = id, cost_usd = 1 });
        await b.WaitForDeliveriesAsync(id);
        var alert = Assert.Single(b.Alerts);
        Assert.Equal(7, alert["spent_usd"]!.GetValue<double>());
    }

    [Fact]
    public async Task An_alert_pending_when_the_cluster_stops_is_delivered_once_after_the_restart()
    {
        await using var b = await BudgetFunctionsHarness.StartAsync(Tuesday, registerCallback: false);
        var id = await b.CreateAsync(new { ceiling_usd = 10, period = "day" });
        await b.CallAsync("budget::alert_set", new { budget_id = id, threshold_pct = 0.25, callback_function_id = BudgetFunctionsHarness.CallbackId });
        await b.CallAsync("budget::alert_set", new { budget_id = id, threshold_pct = 0.5, callback_function_id = BudgetFunctionsHarness.CallbackId });
        await b.CallAsync("budget::record", new { budget_id = id, cost_usd = 6 });
        Assert.Equal(2, (await b.GetAsync(id)).GetProperty("pending_alert_deliveries").GetInt32());

        await b.RestartAsync();
        b.RegisterCallback();

        // Nothing calls the budget after the restart: its reminder re-activates it and the outbox is delivered.
        var alerts = await b.WaitForAlertsAsync(2, seconds: 30);
        await b.WaitForDeliveriesAsync(id);
        Assert.Equal(2, b.Alerts.Count);
        Assert.Equal([0.25, 0.5], alerts.Select(a => a["threshold_pct"]!.GetValue<double>()).Order());
    }
}
