using Harness.Budgets;
using Xunit;

namespace Harness.Tests.Budgets;

/// <summary>Many turns racing reserve + record against one budget never spend past its ceiling.</summary>
public sealed class BudgetConcurrencyTests(BudgetClusterFixture fixture) : IClassFixture<BudgetClusterFixture>
{
    private const int Callers = 50;

    [Fact]
    public async Task Fifty_concurrent_callers_cannot_overspend_a_token_ceiling()
    {
        var budget = fixture.Budget($"agent:{Guid.NewGuid():N}");
        await budget.Configure(new BudgetConfig { Period = BudgetPeriods.None, CeilingTokens = 200 });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i => Task.Run(async () =>
        {
            var hold = await budget.Reserve(new BudgetCheckRequest { EstimatedTokens = 10, RunId = $"run-{i}" });
            if (!hold.Allowed)
            {
                return hold;
            }
            await Task.Yield();
            await budget.Record(new BudgetRecordRequest { TokensIn = 6, TokensOut = 4, ReservationId = hold.ReservationId, RecordId = $"run-{i}:1" });
            return hold;
        })));

        Assert.Equal(20, outcomes.Count(o => o.Allowed));
        Assert.All(outcomes.Where(o => !o.Allowed), o => Assert.Equal(BudgetReasons.CeilingExceeded, o.Reason));
        var view = (await budget.Get())!;
        Assert.Equal(200, view.SpentTokens);
        Assert.Equal(0, view.ReservedTokens);
        Assert.Equal(0, view.RemainingTokens);
        Assert.False((await budget.Check(new BudgetCheckRequest())).Allowed);
    }

    [Fact]
    public async Task Fifty_concurrent_callers_cannot_overspend_a_usd_ceiling()
    {
        var budget = fixture.Budget($"workspace:{Guid.NewGuid():N}");
        await budget.Configure(new BudgetConfig { Period = BudgetPeriods.Month, CeilingUsd = 1.00 });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Callers).Select(i => Task.Run(async () =>
        {
            var hold = await budget.Reserve(new BudgetCheckRequest { EstimatedCostUsd = 0.03 });
            if (hold.Allowed)
            {
                await budget.Record(new BudgetRecordRequest { CostUsd = 0.03, ReservationId = hold.ReservationId });
            }
            return hold.Allowed;
        })));

        Assert.Equal(33, outcomes.Count(allowed => allowed));
        var view = (await budget.Get())!;
        Assert.Equal(0.99, view.SpentUsd, 10);
        Assert.True(view.SpentUsd <= 1.00);
    }

    [Fact]
    public async Task Outstanding_reservations_count_against_the_ceiling_before_anything_is_recorded()
    {
        var budget = fixture.Budget($"agent:{Guid.NewGuid():N}");
        await budget.Configure(new BudgetConfig { Period = BudgetPeriods.None, CeilingTokens = 100 });

        var holds = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => budget.Reserve(new BudgetCheckRequest { EstimatedTokens = 30 })));

        Assert.Equal(3, holds.Count(h => h.Allowed));
        Assert.Equal(3, holds.Where(h => h.Allowed).Select(h => h.ReservationId).Distinct().Count());
        var view = (await budget.Get())!;
        Assert.Equal(90, view.ReservedTokens);
        Assert.Equal(10, view.RemainingTokens);
        Assert.Equal(3, view.ActiveReservations);
    }
}
