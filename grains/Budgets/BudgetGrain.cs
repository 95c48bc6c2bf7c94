using Harness.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Harness.Validation;

namespace Harness.Budgets;

/// <summary>
/// One budget (key = budget id). Orleans runs one call at a time here, so check-and-hold in <see cref="Reserve"/> is
/// atomic: the sum of spent and reserved amounts can only exceed a ceiling when a recorded actual is larger than its
/// reservation. Every call first rolls the period over (counters reset at the UTC day/month boundary) and drops expired
/// reservations. The clock is the keyed <see cref="TimeProvider"/> <see cref="ClockKey"/> when registered (tests move
/// it across period boundaries without touching the clock Orleans itself uses), else the default one.
/// </summary>
[GrainType("budget")]
public sealed class BudgetGrain(
    [PersistentState("budget", HarnessStorage.Name)] IPersistentState<BudgetState> state,
    IServiceProvider services) : Grain, IBudgetGrain
{
    /// <summary>Service key of an optional budget-only <see cref="TimeProvider"/>.</summary>
    public const string ClockKey = "harness-budget-clock";

    private readonly TimeProvider _time =
        services.GetKeyedService<TimeProvider>(ClockKey) ?? services.GetService<TimeProvider>() ?? TimeProvider.System;

    private string BudgetId => this.GetPrimaryKeyString();

    public async Task<BudgetView> Configure(BudgetConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Require.NonEmpty(BudgetId, "budget_id");
        var now = _time.GetUtcNow();
        var s = state.State;
        if (s.Config is null || s.Config.EffectivePeriod != config.EffectivePeriod)
        {
            s.PeriodStart = BudgetPeriods.StartOf(config.EffectivePeriod, now);
        }
        s.Config = config;
        Maintain(now);
        await state.WriteStateAsync();
        return View();
    }

    public Task<BudgetView?> Get()
    {
        if (state.State.Config is null)
        {
            return Task.FromResult<BudgetView?>(null);
        }
        Maintain(_time.GetUtcNow());
        return Task.FromResult<BudgetView?>(View());
    }

    public Task<BudgetCheckResult> Check(BudgetCheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var config = RequireConfig();
        Maintain(_time.GetUtcNow());
        return Task.FromResult(Evaluate(config, Usd(request.EstimatedCostUsd), request.EstimatedTokens ?? 0));
    }

    public async Task<BudgetCheckResult> Reserve(BudgetCheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var config = RequireConfig();
        var now = _time.GetUtcNow();
        var changed = Maintain(now);
        var s = state.State;

        if (request.ReservationId is { } existingId && s.Reservations.TryGetValue(existingId, out var existing))
        {
            // A retried reserve: the hold already exists, report it without holding twice.
            return Remaining(new BudgetCheckResult { Allowed = true, ReservationId = existing.Id, ExpiresAt = existing.ExpiresAt.ToUnixTimeMilliseconds() });
        }

        var usd = Usd(request.EstimatedCostUsd);
        var tokens = request.EstimatedTokens ?? 0;
        var verdict = Evaluate(config, usd, tokens);
        if (verdict.Allowed && config.IsEnforced)
        {
            var ttl = request.TtlSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : config.ReservationTtl;
            var reservation = new BudgetReservation
            {
                Id = request.ReservationId ?? $"rsv_{Guid.NewGuid():N}",
                Usd = usd,
                Tokens = tokens,
                ExpiresAt = now + ttl,
                RunId = request.RunId,
            };
            s.Reservations[reservation.Id] = reservation;
            await state.WriteStateAsync();
            return Remaining(verdict with { ReservationId = reservation.Id, ExpiresAt = reservation.ExpiresAt.ToUnixTimeMilliseconds() });
        }
        if (changed)
        {
            await state.WriteStateAsync();
        }
        return verdict;
    }

    public async Task<BudgetRecordResult> Record(BudgetRecordRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        RequireConfig();
        Maintain(_time.GetUtcNow());
        var s = state.State;

        if (request.RecordId is { } recordId && s.RecentRecordIds.Contains(recordId))
        {
            return RecordResult(duplicate: true);
        }
        if (request.ReservationId is { } reservationId)
        {
            s.Reservations.Remove(reservationId);
        }
        s.SpentUsd += Usd(request.CostUsd);
        s.SpentTokens += request.Tokens;
        if (request.RecordId is { } id)
        {
            s.RecentRecordIds.Add(id);
            if (s.RecentRecordIds.Count > BudgetState.RecentRecordIdLimit)
            {
                s.RecentRecordIds.RemoveRange(0, s.RecentRecordIds.Count - BudgetState.RecentRecordIdLimit);
            }
        }
        await state.WriteStateAsync();
        return RecordResult(duplicate: false);
    }

    public async Task<bool> Release(string reservationId)
    {
        Require.NonEmpty(reservationId, "reservation_id");
        RequireConfig();
        Maintain(_time.GetUtcNow());
        if (!state.State.Reservations.Remove(reservationId))
        {
            return false;
        }
        await state.WriteStateAsync();
        return true;
    }

    public async Task Delete()
    {
        await state.ClearStateAsync();
        state.State = new BudgetState();
    }

    private BudgetConfig RequireConfig() => state.State.Config ?? throw new BudgetNotFoundException(BudgetId);

    /// <summary>Rolls the period over and drops expired reservations; true when anything changed.</summary>
    private bool Maintain(DateTimeOffset now)
    {
        var s = state.State;
        if (s.Config is null)
        {
            return false;
        }
        var changed = false;
        var start = BudgetPeriods.StartOf(s.Config.EffectivePeriod, now);
        if (start > s.PeriodStart)
        {
            s.PeriodStart = start;
            s.SpentUsd = 0;
            s.SpentTokens = 0;
            changed = true;
        }
        foreach (var expired in s.Reservations.Values.Where(r => r.ExpiresAt <= now).Select(r => r.Id).ToList())
        {
            s.Reservations.Remove(expired);
            changed = true;
        }
        return changed;
    }

    private BudgetCheckResult Evaluate(BudgetConfig config, decimal usd, long tokens)
    {
        if (config.IsPaused)
        {
            return Remaining(new BudgetCheckResult { Allowed = false, Reason = BudgetReasons.Paused });
        }
        if (!config.IsEnforced)
        {
            return Remaining(new BudgetCheckResult { Allowed = true, Reason = BudgetReasons.NotEnforced });
        }
        var s = state.State;
        var fits = Fits(s.SpentUsd + s.ReservedUsd, usd, CeilingUsd(config))
                   && Fits(s.SpentTokens + s.ReservedTokens, tokens, config.CeilingTokens);
        return Remaining(fits
            ? new BudgetCheckResult { Allowed = true }
            : new BudgetCheckResult { Allowed = false, Reason = BudgetReasons.CeilingExceeded });
    }

    // Denied when nothing is left (a zero estimate must not slip through a spent-out budget) or the estimate does not fit.
    private static bool Fits(decimal committed, decimal estimate, decimal? ceiling) =>
        ceiling is not { } c || (committed < c && committed + estimate <= c);

    private BudgetCheckResult Remaining(BudgetCheckResult result)
    {
        var (usd, tokens) = RemainingAmounts();
        return result with { RemainingUsd = usd, RemainingTokens = tokens };
    }

    private (double? Usd, long? Tokens) RemainingAmounts()
    {
        var s = state.State;
        var config = s.Config!;
        double? usd = CeilingUsd(config) is { } cu ? (double)Math.Max(0, cu - s.SpentUsd - s.ReservedUsd) : null;
        long? tokens = config.CeilingTokens is { } ct ? Math.Max(0, ct - s.SpentTokens - s.ReservedTokens) : null;
        return (usd, tokens);
    }

    private BudgetRecordResult RecordResult(bool duplicate)
    {
        var (usd, tokens) = RemainingAmounts();
        return new BudgetRecordResult
        {
            SpentUsd = (double)state.State.SpentUsd,
            SpentTokens = state.State.SpentTokens,
            RemainingUsd = usd,
            RemainingTokens = tokens,
            Duplicate = duplicate,
        };
    }

    private BudgetView View()
    {
        var s = state.State;
        var (usd, tokens) = RemainingAmounts();
        return new BudgetView
        {
            BudgetId = BudgetId,
            Config = s.Config!,
            PeriodStart = s.PeriodStart == DateTimeOffset.MinValue ? null : s.PeriodStart.ToUnixTimeMilliseconds(),
            SpentUsd = (double)s.SpentUsd,
            SpentTokens = s.SpentTokens,
            ReservedUsd = (double)s.ReservedUsd,
            ReservedTokens = s.ReservedTokens,
            RemainingUsd = usd,
            RemainingTokens = tokens,
            ActiveReservations = s.Reservations.Count,
        };
    }

    private static decimal? CeilingUsd(BudgetConfig config) => config.CeilingUsd is { } c ? (decimal)c : null;

    private static decimal Usd(double? value) => value is { } v ? (decimal)v : 0m;
}
