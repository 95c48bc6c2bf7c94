using System.Text.Json.Nodes;
using Harness.Tests.Infrastructure;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Budgets;

/// <summary>One PostgreSQL-backed cluster with a manual budget clock for <see cref="BudgetFunctionsTests"/>.</summary>
public sealed class BudgetFunctionsFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Tuesday = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public BudgetFunctionsHarness B { get; private set; } = null!;

    public async ValueTask InitializeAsync() => B = await BudgetFunctionsHarness.StartAsync(Tuesday, settings: new Dictionary<string, string?>
    {
        ["Harness:Pricing:priced:OutputPerMillion"] = "1000",
    });

    public async ValueTask DisposeAsync() => await B.DisposeAsync();
}

/// <summary>The 14 <c>budget::*</c> functions with the original shapes, on PostgreSQL, called as the bus calls them.</summary>
public sealed class BudgetFunctionsTests(BudgetFunctionsFixture fixture) : IClassFixture<BudgetFunctionsFixture>
{
    private static readonly DateTimeOffset Tuesday = BudgetFunctionsFixture.Tuesday;

    private BudgetFunctionsHarness B => fixture.B;

    private static long Ms(int month, int day, int hour = 0) => new DateTimeOffset(2026, month, day, hour, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Create_returns_an_opaque_id_and_get_shows_the_original_record()
    {
        B.Clock.Set(Tuesday);
        var workspace = Unique("w");

        var id = await B.CreateAsync(new { ceiling_usd = 25, period = "day", workspace_id = workspace, agent_id = "a1", name = "daily" });

        Assert.StartsWith("bdg_", id);
        var budget = await B.GetAsync(id);
        Assert.Equal(id, budget.GetProperty("id").GetString());
        Assert.Equal(workspace, budget.GetProperty("workspace_id").GetString());
        Assert.Equal("a1", budget.GetProperty("agent_id").GetString());
        Assert.Equal("daily", budget.GetProperty("name").GetString());
        Assert.Equal(25, budget.GetProperty("ceiling_usd").GetDouble());
        Assert.Equal("day", budget.GetProperty("period").GetString());
        Assert.Equal(0, budget.GetProperty("spent_usd").GetDouble());
        Assert.Equal(Ms(3, 10), budget.GetProperty("period_start_at").GetInt64());
        Assert.Equal(Ms(3, 11), budget.GetProperty("period_resets_at").GetInt64());
        Assert.True(budget.GetProperty("enforced").GetBoolean());
        Assert.False(budget.GetProperty("paused").GetBoolean());
        Assert.Equal(0, budget.GetProperty("alerts").GetArrayLength());
        Assert.Equal(0, budget.GetProperty("exemptions").GetArrayLength());
        Assert.Equal(Tuesday.ToUnixTimeMilliseconds(), budget.GetProperty("created_at").GetInt64());
    }

    [Fact]
    public async Task List_filters_by_workspace_newest_first_and_delete_removes_the_budget()
    {
        B.Clock.Set(Tuesday);
        var workspace = Unique("w");
        var older = await B.CreateAsync(new { ceiling_usd = 1, period = "day", workspace_id = workspace });
        B.Clock.Advance(TimeSpan.FromMinutes(1));
        var newer = await B.CreateAsync(new { ceiling_usd = 2, period = "week", workspace_id = workspace });
        var elsewhere = await B.CreateAsync(new { ceiling_usd = 3, period = "month", workspace_id = Unique("w") });

        var listed = await B.CallAsync("budget::list", new { workspace_id = workspace });
        var all = await B.CallAsync("budget::list", new { });

        Assert.Equal([newer, older], listed.GetProperty("budgets").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        var allIds = all.GetProperty("budgets").EnumerateArray().Select(b => b.GetProperty("id").GetString()).ToList();
        Assert.Contains(elsewhere, allIds);
        Assert.True(allIds.IndexOf(newer) < allIds.IndexOf(older));

        var deleted = await B.CallAsync("budget::delete", new { budget_id = newer });

        Assert.True(deleted.GetProperty("ok").GetBoolean());
        Assert.Equal([older], (await B.CallAsync("budget::list", new { workspace_id = workspace })).GetProperty("budgets").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        var missing = await Assert.ThrowsAnyAsync<Exception>(() => B.GetAsync(newer));
        Assert.Contains($"budget not found: {newer}", missing.ToString());
    }

    [Fact]
    public async Task Update_patches_fields_and_a_period_change_archives_reanchors_zeroes_and_rearms_alerts()
    {
        B.Clock.Set(Tuesday);
        var id = await B.CreateAsync(new { ceiling_usd = 5, period = "day" });
        await B.CallAsync("budget::alert_set", new { budget_id = id, threshold_pct = 0.5, callback_function_id = BudgetFunctionsHarness.CallbackId });
        await B.CallAsync("budget::record", new { budget_id = id, cost_usd = 3 });
        Assert.Equal(Ms(3, 10), (await B.GetAsync(id)).GetProperty("alerts")[0].GetProperty("last_fired_period_start").GetInt64());

        var renamed = (await B.CallAsync("budget::update", new { budget_id = id, patch = new { ceiling_usd = 8, name = "renamed" } })).GetProperty("budget");
        Assert.Equal(8, renamed.GetProperty("ceiling_usd").GetDouble());
        Assert.Equal("renamed", renamed.GetProperty("name").GetString());
        Assert.Equal(3, renamed.GetProperty("spent_usd").GetDouble());

        B.Clock.Set(Tuesday.AddHours(1));
        var weekly = (await B.CallAsync("budget::update", new { budget_id = id, patch = new { period = "week", enforced = false } })).GetProperty("budget");

        Assert.Equal("week", weekly.GetProperty("period").GetString());
        Assert.False(weekly.GetProperty("enforced").GetBoolean());
        Assert.Equal(0, weekly.GetProperty("spent_usd").GetDouble());
        Assert.Equal(Ms(3, 10, 13), weekly.GetProperty("period_start_at").GetInt64());
        Assert.Equal(Ms(3, 17, 13), weekly.GetProperty("period_resets_at").GetInt64());
        Assert.False(weekly.GetProperty("alerts")[0].TryGetProperty("last_fired_period_start", out _));
        var usage = await B.CallAsync("budget::usage", new { budget_id = id, window = "all" });
        Assert.Equal(3, usage.GetProperty("spent_usd").GetDouble());
        Assert.Contains(usage.GetProperty("by_period").EnumerateArray(), p => p.GetProperty("period").GetInt64() == Ms(3, 10) && p.GetProperty("spent").GetDouble() == 3);
    }

    [Fact]
    public async Task Check_decides_paused_then_not_enforced_then_exempt_then_the_ceiling()
    {
        B.Clock.Set(Tuesday);
        var id = await B.CreateAsync(new { ceiling_usd = 1, period = "day" });
        var fits = await B.CallAsync("budget::check", new { budget_id = id, estimated_cost_usd = 0.4 });
        Assert.True(fits.GetProperty("allowed").GetBoolean());
        Assert.False(fits.TryGetProperty("reason", out _));
        Assert.Equal(1, fits.GetProperty("remaining_usd").GetDouble());
        await B.CallAsync("budget::record", new { budget_id = id, cost_usd = 1 });

        var exempt = await B.CallAsync("budget::exempt", new { budget_id = id, principal_id = "p1", reason = "incident" });
        Assert.Equal(Tuesday.AddHours(24).ToUnixTimeMilliseconds(), exempt.GetProperty("expires_at").GetInt64());

        async Task<(bool Allowed, string? Reason)> Check(string? principal)
        {
            var r = await B.CallAsync("budget::check", new { budget_id = id, principal_id = principal });
            return (r.GetProperty("allowed").GetBoolean(), r.TryGetProperty("reason", out var reason) ? reason.GetString() : null);
        }

        Assert.Equal((false, "ceiling_exceeded"), await Check("p2"));
        Assert.Equal((true, "exempt"), await Check("p1"));
        Assert.Equal(id, (await B.CallAsync("budget::enforce", new { budget_id = id, enforced = false })).GetProperty("budget_id").GetString());
        Assert.Equal((true, "not_enforced"), await Check("p1"));
        var paused = await B.CallAsync("budget::pause", new { budget_id = id, paused = true });
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal((true, "paused"), await Check("p2"));

        await B.CallAsync("budget::pause", new { budget_id = id, paused = false });
        await B.CallAsync("budget::enforce", new { budget_id = id, enforced = true });
        B.Clock.Set(Tuesday.AddHours(11));  // same day: still spent out; the exemption lapses after 24 h
        Assert.Equal((true, "exempt"), await Check("p1"));
        B.Clock.Set(Tuesday.AddDays(1).AddMinutes(1));
        Assert.Equal((true, null), await Check("p1"));  // a new day: spend rolled over, exemption gone
        Assert.Equal(0, (await B.GetAsync(id)).GetProperty("exemptions").GetArrayLength());
    }

    [Fact]
    public async Task Record_reset_usage_and_forecast_report_the_original_fields()
    {
        B.Clock.Set(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero));
        var id = await B.CreateAsync(new { ceiling_usd = 100, period = "month" });

        var recorded = await B.CallAsync("budget::record", new { budget_id = id, cost_usd = 20, run_id = "r1", agent_id = "a1", tokens_in = 10, tokens_out = 5 });
        Assert.Equal(20, recorded.GetProperty("spent_usd").GetDouble());
        Assert.Equal(80, recorded.GetProperty("remaining_usd").GetDouble());

        // 10 days into March: rate 2/day, 21 days left need 42 <= 80.
        var forecast = await B.CallAsync("budget::forecast", new { budget_id = id });
        Assert.Equal(60, forecast.GetProperty("projected_month_usd").GetDouble(), 6);
        Assert.Equal(40, forecast.GetProperty("days_until_breach").GetDouble(), 6);
        Assert.True(forecast.GetProperty("on_track").GetBoolean());
        await B.CallAsync("budget::record", new { budget_id = id, cost_usd = 30 });
        var behind = await B.CallAsync("budget::forecast", new { budget_id = id });
        Assert.False(behind.GetProperty("on_track").GetBoolean());
        Assert.Equal(10, behind.GetProperty("days_until_breach").GetDouble(), 6);

        var reset = await B.CallAsync("budget::reset", new { budget_id = id });
        Assert.Equal(id, reset.GetProperty("budget_id").GetString());
        Assert.Equal(50, reset.GetProperty("previous_spent_usd").GetDouble());
        var budget = await B.GetAsync(id);
        Assert.Equal(0, budget.GetProperty("spent_usd").GetDouble());
        Assert.Equal(Ms(3, 1), budget.GetProperty("period_start_at").GetInt64());

        var current = await B.CallAsync("budget::usage", new { budget_id = id, window = "month" });
        var all = await B.CallAsync("budget::usage", new { budget_id = id });
        Assert.Equal(0, current.GetProperty("spent_usd").GetDouble());
        Assert.Equal(0, current.GetProperty("records_count").GetInt32());
        Assert.Equal(50, all.GetProperty("spent_usd").GetDouble());
        Assert.Equal(2, all.GetProperty("records_count").GetInt32());
        var noSpend = await B.CallAsync("budget::forecast", new { budget_id = id });
        Assert.Equal(JsonValueKind.Null, noSpend.TryGetProperty("days_until_breach", out var d) ? d.ValueKind : JsonValueKind.Null);
    }

    [Fact]
    public async Task Periods_roll_over_at_the_utc_day_iso_week_and_month_and_keep_spend_logs()
    {
        B.Clock.Set(Tuesday);
        var daily = await B.CreateAsync(new { ceiling_usd = 10, period = "day" });
        var weekly = await B.CreateAsync(new { ceiling_usd = 10, period = "week" });
        var monthly = await B.CreateAsync(new { ceiling_usd = 10, period = "month" });
        Assert.Equal(Ms(3, 9), (await B.GetAsync(weekly)).GetProperty("period_start_at").GetInt64());  // Monday
        Assert.Equal(Ms(3, 16), (await B.GetAsync(weekly)).GetProperty("period_resets_at").GetInt64());
        Assert.Equal(Ms(3, 1), (await B.GetAsync(monthly)).GetProperty("period_start_at").GetInt64());
        foreach (var id in new[] { daily, weekly, monthly })
        {
            await B.CallAsync("budget::record", new { budget_id = id, cost_usd = 4 });
        }

        B.Clock.Set(new DateTimeOffset(2026, 3, 15, 23, 59, 59, TimeSpan.Zero));  // Sunday night
        Assert.Equal(0, (await B.GetAsync(daily)).GetProperty("spent_usd").GetDouble());
        Assert.Equal(4, (await B.GetAsync(weekly)).GetProperty("spent_usd").GetDouble());
        B.Clock.Set(new DateTimeOffset(2026, 3, 16, 0, 0, 0, TimeSpan.Zero));  // Monday 00:00
        Assert.Equal(0, (await B.GetAsync(weekly)).GetProperty("spent_usd").GetDouble());
        Assert.Equal(4, (await B.GetAsync(monthly)).GetProperty("spent_usd").GetDouble());
        B.Clock.Set(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        var april = await B.GetAsync(monthly);
        Assert.Equal(0, april.GetProperty("spent_usd").GetDouble());
        Assert.Equal(Ms(4, 1), april.GetProperty("period_start_at").GetInt64());
        Assert.Equal(Ms(5, 1), april.GetProperty("period_resets_at").GetInt64());

        var dailyUsage = await B.CallAsync("budget::usage", new { budget_id = daily });
        var periods = dailyUsage.GetProperty("by_period").EnumerateArray().Select(p => (p.GetProperty("period").GetInt64(), p.GetProperty("spent").GetDouble())).ToList();
        Assert.Equal((Ms(3, 10), 4.0), periods[0]);
        Assert.Equal((Ms(3, 11), 0.0), periods[1]);
        Assert.Equal((Ms(4, 1), 0.0), periods[^1]);
        Assert.Equal(4, dailyUsage.GetProperty("spent_usd").GetDouble());
        var weeklyUsage = await B.CallAsync("budget::usage", new { budget_id = weekly });
        Assert.Equal([Ms(3, 9), Ms(3, 16), Ms(3, 23), Ms(3, 30)], weeklyUsage.GetProperty("by_period").EnumerateArray().Select(p => p.GetProperty("period").GetInt64()));
    }

    [Fact]
    public async Task Each_alert_fires_once_per_period_per_threshold_with_its_payload()
    {
        B.Clock.Set(Tuesday);
        var id = await B.CreateAsync(new { ceiling_usd = 10, period = "day" });
        var half = (await B.CallAsync("budget::alert_set", new
        {
            budget_id = id, threshold_pct = 0.5, callback_function_id = BudgetFunctionsHarness.CallbackId,
            callback_payload = new { channel = "ops", alert_id = "spoofed" },
        })).GetProperty("alert_id").GetString()!;
        var most = (await B.CallAsync("budget::alert_set", new { budget_id = id, threshold_pct = 0.8, callback_function_id = BudgetFunctionsHarness.CallbackId }))
            .GetProperty("alert_id").GetString()!;

        foreach (var cost in new[] { 6, 1, 1.5, 1 })  // 0.6 → half fires; 0.7; 0.85 → most fires; 0.95
        {
            await B.CallAsync("budget::record", new { budget_id = id, cost_usd = cost });
        }
        await B.WaitForDeliveriesAsync(id);

        var firstDay = B.Alerts.Where(a => a["budget_id"]!.GetValue<string>() == id).ToList();
        Assert.Equal([half, most], firstDay.Select(a => a["alert_id"]!.GetValue<string>()));
        var payload = firstDay[0];
        Assert.Equal("ops", payload["channel"]!.GetValue<string>());
        Assert.Equal(6, payload["spent_usd"]!.GetValue<double>());
        Assert.Equal(10, payload["ceiling_usd"]!.GetValue<double>());
        Assert.Equal(0.5, payload["threshold_pct"]!.GetValue<double>());
        Assert.Equal(8.5, firstDay[1]["spent_usd"]!.GetValue<double>());

        B.Clock.Set(Tuesday.AddDays(1));
        await B.CallAsync("budget::record", new { budget_id = id, cost_usd = 9 });
        await B.CallAsync("budget::record", new { budget_id = id, cost_usd = 0.5 });
        await B.WaitForDeliveriesAsync(id);

        var fired = B.Alerts.Where(a => a["budget_id"]!.GetValue<string>() == id).Select(a => a["alert_id"]!.GetValue<string>()).ToList();
        Assert.Equal(2, fired.Count(a => a == half));
        Assert.Equal(2, fired.Count(a => a == most));
        Assert.Equal(Ms(3, 11), (await B.GetAsync(id)).GetProperty("alerts")[0].GetProperty("last_fired_period_start").GetInt64());
    }

    [Fact]
    public async Task A_turn_is_checked_against_a_created_budget_of_its_agent_and_an_exemption_lets_it_through()
    {
        B.Clock.Set(Tuesday);
        var agent = Unique("bot");
        var model = B.H.Workspace.WriteScript("priced", Rounds($"{Text("answer")},{Usage(0, 500)}"));  // 0.5 USD per answer
        var id = await B.CreateAsync(new { ceiling_usd = 0.8, period = "day", agent_id = agent });

        string[] sessions = [Runs.NewSession(), Runs.NewSession(), Runs.NewSession()];
        foreach (var sid in sessions)
        {
            await B.H.Turn(sid).Start(Runs.Start(sid, model) with { AgentId = agent });
            await B.H.WaitForTerminalAsync(sid);
        }

        Assert.Null((await B.H.Turn(sessions[1]).GetState())!.Error);
        var refused = (await B.H.Turn(sessions[2]).GetState())!;
        Assert.Equal("budget_exceeded", refused.Error!.Kind);
        Assert.Contains(id, refused.Error.Message);
        Assert.Equal(1.0, (await B.GetAsync(id)).GetProperty("spent_usd").GetDouble(), 6);

        await B.CallAsync("budget::exempt", new { budget_id = id, principal_id = agent, reason = "demo" });
        var exempt = Runs.NewSession();
        await B.H.Turn(exempt).Start(Runs.Start(exempt, model) with { AgentId = agent });

        Assert.Null((await B.H.WaitForTerminalAsync(exempt)).Error);
        var after = await B.GetAsync(id);
        Assert.Equal(1.5, after.GetProperty("spent_usd").GetDouble(), 6);  // exempt calls still count
        Assert.Equal(0, after.GetProperty("reserved_usd").GetDouble());
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_a_numeric_budget_id_is_a_type_error()
    {
        B.Clock.Set(Tuesday);
        var id = await B.CreateAsync(new { ceiling_usd = 1, period = "week" });

        Assert.Equal("budget_id", (await B.InvalidAsync("budget::get", new { budget_id = 42 })).Field);
        Assert.Contains("must be a string", (await B.InvalidAsync("budget::check", new { budget_id = 42 })).Detail);
        Assert.Contains("is required", (await B.InvalidAsync("budget::record", new { cost_usd = 1 })).Detail);
        Assert.Equal("ceiling_usd", (await B.InvalidAsync("budget::create", new { period = "day" })).Field);
        Assert.Equal("ceiling_usd", (await B.InvalidAsync("budget::create", new { ceiling_usd = 0, period = "day" })).Field);
        Assert.Equal("period", (await B.InvalidAsync("budget::create", new { ceiling_usd = 1, period = "year" })).Field);
        Assert.Equal("ceiling_usd", (await B.InvalidAsync("budget::create", new { ceiling_usd = "ten", period = "day" })).Field);
        Assert.Equal("patch", (await B.InvalidAsync("budget::update", new { budget_id = id })).Field);
        Assert.Equal("patch.ceiling_usd", (await B.InvalidAsync("budget::update", new { budget_id = id, patch = new { ceiling_usd = -1 } })).Field);
        Assert.Equal("patch.period", (await B.InvalidAsync("budget::update", new { budget_id = id, patch = new { period = "hour" } })).Field);
        Assert.Equal("estimated_cost_usd", (await B.InvalidAsync("budget::check", new { budget_id = id, estimated_cost_usd = -1 })).Field);
        Assert.Equal("cost_usd", (await B.InvalidAsync("budget::record", new { budget_id = id, cost_usd = -1 })).Field);
        Assert.Equal("threshold_pct", (await B.InvalidAsync("budget::alert_set", new { budget_id = id, threshold_pct = 1.5, callback_function_id = "x::y" })).Field);
        Assert.Equal("callback_function_id", (await B.InvalidAsync("budget::alert_set", new { budget_id = id, threshold_pct = 0.5 })).Field);
        Assert.Equal("callback_payload", (await B.InvalidAsync("budget::alert_set", new { budget_id = id, threshold_pct = 0.5, callback_function_id = "x::y", callback_payload = 3 })).Field);
        Assert.Equal("window", (await B.InvalidAsync("budget::usage", new { budget_id = id, window = "day" })).Field);
        Assert.Equal("enforced", (await B.InvalidAsync("budget::enforce", new { budget_id = id })).Field);
        Assert.Equal("paused", (await B.InvalidAsync("budget::pause", new { budget_id = id, paused = "yes" })).Field);
        Assert.Equal("reason", (await B.InvalidAsync("budget::exempt", new { budget_id = id, principal_id = "p" })).Field);
        Assert.Equal("workspace_id", (await B.InvalidAsync("budget::list", new { workspace_id = "" })).Field);
    }

    [Fact]
    public void Request_schemas_require_what_validation_requires()
    {
        string[] Required(string id) => [.. B.Function(id).RequestFormat!["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order()];

        Assert.Equal(["ceiling_usd", "period"], Required("budget::create"));
        Assert.Equal(["budget_id", "patch"], Required("budget::update"));
        Assert.Equal(["budget_id", "callback_function_id", "threshold_pct"], Required("budget::alert_set"));
        Assert.Equal(["budget_id", "enforced"], Required("budget::enforce"));
        Assert.Equal(["budget_id", "paused"], Required("budget::pause"));
        Assert.Equal(["budget_id", "principal_id", "reason"], Required("budget::exempt"));
        foreach (var id in new[] { "budget::get", "budget::delete", "budget::check", "budget::record", "budget::reset", "budget::usage", "budget::forecast" })
        {
            Assert.Equal(["budget_id"], Required(id));
            Assert.Equal("string", B.Function(id).RequestFormat!["properties"]!["budget_id"]!["type"]!.GetValue<string>());
        }
        Assert.Equal(14, B.Functions.Count(f => f.Id is not ("budget::configure" or "budget::reserve")));
        Assert.Equal(["day", "month", "week"], B.Function("budget::create").RequestFormat!["properties"]!["period"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
    }
}
