using Harness.Budgets;
using Harness.Validation;
using Xunit;

namespace Harness.Tests.Budgets;

/// <summary>Budget checks, records, reservations, periods and validation.</summary>
public sealed class BudgetBehaviourTests(BudgetClusterFixture fixture) : IClassFixture<BudgetClusterFixture>
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private IBudgetGrain NewBudget() => fixture.Budget($"workspace:{Guid.NewGuid():N}");

    [Fact]
    public async Task Check_reports_remaining_amounts_and_does_not_hold_anything()
    {
        fixture.Clock.Set(Noon);
        var budget = NewBudget();
        await budget.Configure(new BudgetConfig { CeilingUsd = 10, CeilingTokens = 1000 });

        var check = await budget.Check(new BudgetCheckRequest { EstimatedCostUsd = 4, EstimatedTokens = 100 });

        Assert.True(check.Allowed);
        Assert.Null(check.Reason);
        Assert.Null(check.ReservationId);
        Assert.Equal(10, check.RemainingUsd);
        Assert.Equal(1000, check.RemainingTokens);
        Assert.Equal(0, (await budget.Get())!.ActiveReservations);
    }

    [Fact]
    public async Task Estimate_that_does_not_fit_is_denied_as_ceiling_exceeded()
    {
        fixture.Clock.Set(Noon);
        var budget = NewBudget();
        await budget.Configure(new BudgetConfig { CeilingUsd = 1 });
        await budget.Record(new BudgetRecordRequest { CostUsd = 0.75 });

        var check = await budget.Check(new BudgetCheckRequest { EstimatedCostUsd = 0.5 });

        Assert.False(check.Allowed);
        Assert.Equal(BudgetReasons.CeilingExceeded, check.Reason);
        Assert.Equal(0.25, check.RemainingUsd!.Value, 10);
    }

    [Fact]
    public async Task Spent_out_budget_denies_even_a_zero_estimate()
    {
        fixture.Clock.Set(Noon);
        var budget = NewBudget();
        await budget.Configure(new BudgetConfig { CeilingTokens = 100 });
        await budget.Record(new BudgetRecordRequest { TokensIn = 60, TokensOut = 40 });

        var check = await budget.Check(new BudgetCheckRequest());

        Assert.False(check.Allowed);
        Assert.Equal(0, check.RemainingTokens);
    }

    [Fact]
    public async Task Paused_and_unenforced_budgets_allow_with_their_reason_and_hold_nothing()
    {
        fixture.Clock.Set(Noon);
        var paused = NewBudget();
        await paused.Configure(new BudgetConfig { CeilingUsd = 100, Paused = true });
        var counting = NewBudget();
        await counting.Configure(new BudgetConfig { CeilingUsd = 1, Enforced = false });
        await counting.Record(new BudgetRecordRequest { CostUsd = 5 });

        var pausedCheck = await paused.Reserve(new BudgetCheckRequest { EstimatedCostUsd = 1 });
        var countingCheck = await counting.Reserve(new BudgetCheckRequest { EstimatedCostUsd = 1 });

        Assert.True(pausedCheck.Allowed);
        Assert.Equal(BudgetReasons.Paused, pausedCheck.Reason);
        Assert.Null(pausedCheck.ReservationId);
        Assert.True(countingCheck.Allowed);
        Assert.Equal(BudgetReasons.NotEnforced, countingCheck.Reason);
        Assert.Null(countingCheck.ReservationId);
        Assert.Equal(5, (await counting.Get())!.SpentUsd);
    }

    [Fact]
    public async Task Record_with_a_repeated_record_id_counts_once()
    {
        fixture.Clock.Set(Noon);
        var budget = NewBudget();
        await budget.Configure(new BudgetConfig { CeilingTokens = 1000 });
        var request = new BudgetRecordRequest { TokensIn = 10, TokensOut = 5, CostUsd = 0.01, RunId = "run-1", RecordId = "run-1:step-3" };

        var first = await budget.Record(request);
        var again = await budget.Record(request);

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(15, again.SpentTokens);
        Assert.Equal(985, again.RemainingTokens);
        Assert.Null(again.RemainingUsd);
    }

    [Fact]
    public async Task Reserve_with_a_caller_reservation_id_holds_once()
    {
        fixture.Clock.Set(Noon);
        var budget = NewBudget();
        await budget.Configure(new BudgetConfig { CeilingTokens = 100 });

        var first = await budget.Reserve(new BudgetCheckRequest { EstimatedTokens = 40, ReservationId = "run-1:1" });
        var retry = await budget.Reserve(new BudgetCheckRequest { EstimatedTokens = 40, ReservationId = "run-1:1" });

        Assert.Equal("run-1:1", first.ReservationId);
        Assert.Equal("run-1:1", retry.ReservationId);
        Assert.Equal(40, (await budget.Get())!.ReservedTokens);
    }

    [Fact]
    public async Task Released_and_expired_reservations_free_their_hold()
    {
        fixture.Clock.Set(Noon);
        var budget = NewBudget();
        await budget.Configure(new BudgetConfig { CeilingTokens = 100, ReservationTtlSeconds = 60 });
        var released = await budget.Reserve(new BudgetCheckRequest { EstimatedTokens = 50 });
        var expiring = await budget.Reserve(new BudgetCheckRequest { EstimatedTokens = 50 });
        Assert.False((await budget.Check(new BudgetCheckRequest { EstimatedTokens = 1 })).Allowed);

        Assert.True(await budget.Release(released.ReservationId!));
        Assert.False(await budget.Release(released.ReservationId!));
        fixture.Clock.Advance(TimeSpan.FromSeconds(61));

        var view = (await budget.Get())!;
        Assert.Equal(0, view.ReservedTokens);
        Assert.Equal(0, view.ActiveReservations);
        Assert.True((await budget.Check(new BudgetCheckRequest { EstimatedTokens = 100 })).Allowed);
        Assert.NotNull(expiring.ExpiresAt);
    }

    [Fact]
    public async Task Daily_budget_resets_at_utc_midnight()
    {
        fixture.Clock.Set(new DateTimeOffset(2026, 3, 10, 23, 50, 0, TimeSpan.Zero));
        var budget = NewBudget();
        await budget.Configure(new BudgetConfig { Period = BudgetPeriods.Day, CeilingUsd = 2 });
        await budget.Record(new BudgetRecordRequest { CostUsd = 2 });
        Assert.False((await budget.Check(new BudgetCheckRequest { EstimatedCostUsd = 0.1 })).Allowed);

        fixture.Clock.Advance(TimeSpan.FromMinutes(20));

        var view = (await budget.Get())!;
        Assert.Equal(0, view.SpentUsd);
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), view.PeriodStart);
        Assert.True((await budget.Check(new BudgetCheckRequest { EstimatedCostUsd = 0.1 })).Allowed);
    }

    [Fact]
    public async Task Monthly_budget_resets_on_the_first_and_period_none_never_resets()
    {
        fixture.Clock.Set(new DateTimeOffset(2026, 1, 31, 22, 0, 0, TimeSpan.Zero));
        var monthly = NewBudget();
        await monthly.Configure(new BudgetConfig { Period = BudgetPeriods.Month, CeilingTokens = 100 });
        var lifetime = NewBudget();
        await lifetime.Configure(new BudgetConfig { Period = BudgetPeriods.None, CeilingTokens = 100 });
        await monthly.Record(new BudgetRecordRequest { TokensIn = 70 });
        await lifetime.Record(new BudgetRecordRequest { TokensIn = 70 });

        fixture.Clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(0, (await monthly.Get())!.SpentTokens);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), (await monthly.Get())!.PeriodStart);
        Assert.Equal(70, (await lifetime.Get())!.SpentTokens);
        Assert.Null((await lifetime.Get())!.PeriodStart);
    }

    [Fact]
    public async Task Record_survives_grain_deactivation()
    {
        fixture.Clock.Set(Noon);
        var budget = NewBudget();
        await budget.Configure(new BudgetConfig { CeilingUsd = 5 });
        await budget.Record(new BudgetRecordRequest { CostUsd = 1.25, RecordId = "r-1" });

        await fixture.Cluster.DeactivateAsync(budget);

        Assert.Equal(1.25, (await budget.Get())!.SpentUsd);
        Assert.True((await budget.Record(new BudgetRecordRequest { CostUsd = 1.25, RecordId = "r-1" })).Duplicate);
    }

    [Fact]
    public async Task Unconfigured_budget_is_not_found()
    {
        var budget = NewBudget();

        Assert.Null(await budget.Get());
        var ex = await Assert.ThrowsAsync<BudgetNotFoundException>(() => budget.Check(new BudgetCheckRequest()));
        Assert.Contains("budget not found", ex.Message);
        await Assert.ThrowsAsync<BudgetNotFoundException>(() => budget.Record(new BudgetRecordRequest { CostUsd = 1 }));
    }

    public static TheoryData<BudgetConfig, string> BadConfigs => new()
    {
        { new BudgetConfig { Period = "year" }, "period" },
        { new BudgetConfig { CeilingUsd = -1 }, "ceiling_usd" },
        { new BudgetConfig { CeilingUsd = double.NaN }, "ceiling_usd" },
        { new BudgetConfig { CeilingTokens = -5 }, "ceiling_tokens" },
        { new BudgetConfig { ReservationTtlSeconds = 0 }, "reservation_ttl_seconds" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public async Task Configure_rejects_bad_fields_by_name(BudgetConfig config, string field)
    {
        var ex = await Assert.ThrowsAsync<PayloadValidationException>(() => NewBudget().Configure(config));

        Assert.Equal(field, ex.Field);
    }

    public static TheoryData<BudgetCheckRequest, string> BadChecks => new()
    {
        { new BudgetCheckRequest { EstimatedTokens = -1 }, "estimated_tokens" },
        { new BudgetCheckRequest { EstimatedCostUsd = double.PositiveInfinity }, "estimated_cost_usd" },
        { new BudgetCheckRequest { ReservationId = " " }, "reservation_id" },
        { new BudgetCheckRequest { TtlSeconds = 100_000 }, "ttl_seconds" },
    };

    [Theory]
    [MemberData(nameof(BadChecks))]
    public async Task Reserve_rejects_bad_fields_by_name(BudgetCheckRequest request, string field)
    {
        var budget = NewBudget();
        await budget.Configure(new BudgetConfig { CeilingUsd = 1 });

        var ex = await Assert.ThrowsAsync<PayloadValidationException>(() => budget.Reserve(request));

        Assert.Equal(field, ex.Field);
    }

    public static TheoryData<BudgetRecordRequest, string> BadRecords => new()
    {
        { new BudgetRecordRequest { CostUsd = -0.01 }, "cost_usd" },
        { new BudgetRecordRequest { TokensIn = -1 }, "tokens_in" },
        { new BudgetRecordRequest { TokensOut = -1 }, "tokens_out" },
        { new BudgetRecordRequest { RecordId = "" }, "record_id" },
        { new BudgetRecordRequest { RunId = new string('x', 300) }, "run_id" },
    };

    [Theory]
    [MemberData(nameof(BadRecords))]
    public async Task Record_rejects_bad_fields_by_name(BudgetRecordRequest request, string field)
    {
        var budget = NewBudget();
        await budget.Configure(new BudgetConfig { CeilingUsd = 1 });

        var ex = await Assert.ThrowsAsync<PayloadValidationException>(() => budget.Record(request));

        Assert.Equal(field, ex.Field);
        Assert.Equal(0, (await budget.Get())!.SpentUsd);
    }
}
