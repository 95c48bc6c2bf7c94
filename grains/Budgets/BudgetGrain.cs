using Harness.Functions;
using Harness.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Harness.Validation;

namespace Harness.Budgets;

/// <summary>
/// One budget (key = budget id). Orleans runs one call at a time here, so check-and-hold in <see cref="Reserve"/> is
/// atomic: the sum of spent and reserved amounts can only exceed a ceiling when a recorded actual is larger than its
/// reservation. Every call first rolls the period over (while now ≥ the period's end: a spend log is kept, the period
/// advances, spend and alert marks are cleared), drops expired reservations and exemptions. The clock is the keyed
/// <see cref="TimeProvider"/> <see cref="ClockKey"/> when registered (tests move it across period boundaries without
/// touching the clock Orleans itself uses), else the default one. Alert callbacks: see BudgetGrain.Alerts.cs.
/// </summary>
[GrainType("budget")]
public sealed partial class BudgetGrain(
    [PersistentState("budget", HarnessStorage.Name)] IPersistentState<BudgetState> state,
    IServiceProvider services) : Grain, IBudgetGrain, IRemindable
{
    /// <summary>Service key of an optional budget-only <see cref="TimeProvider"/>.</summary>
    public const string ClockKey = "harness-budget-clock";

    private readonly TimeProvider _time =
        services.GetKeyedService<TimeProvider>(ClockKey) ?? services.GetService<TimeProvider>() ?? TimeProvider.System;

    private readonly BudgetOptions _options = services.GetService<IOptions<BudgetOptions>>()?.Value ?? new BudgetOptions();
    private readonly IFunctionInvoker? _invoker = services.GetService<IFunctionInvoker>();
    private readonly ILogger _logger = services.GetService<ILogger<BudgetGrain>>() ?? (ILogger)NullLogger.Instance;

    // Writes come from requests and from the interleaved alert-delivery timer: one at a time, each of the latest state.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

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
            s.PeriodResetsAt = BudgetPeriods.NextStart(config.EffectivePeriod, s.PeriodStart);
        }
        if (s.CreatedAt == default)
        {
            s.CreatedAt = now;
        }
        s.UpdatedAt = now;
        s.Config = config;
        Maintain(now);
        await WriteAsync();
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

    public async Task<BudgetCheckResult> Check(BudgetCheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var config = RequireConfig();
        var now = _time.GetUtcNow();
        if (Maintain(now))
        {
            await WriteAsync();
        }
        return Evaluate(config, Usd(request.EstimatedCostUsd), request.EstimatedTokens ?? 0, request.PrincipalId, now);
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
        var verdict = Evaluate(config, usd, tokens, request.PrincipalId, now);
        // Only a plain allow holds: paused, unenforced and exempt calls are not limited, so they hold nothing.
        if (verdict is { Allowed: true, Reason: null })
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
            await WriteAsync();
            return Remaining(verdict with { ReservationId = reservation.Id, ExpiresAt = reservation.ExpiresAt.ToUnixTimeMilliseconds() });
        }
        if (changed)
        {
            await WriteAsync();
        }
        return verdict;
    }

    public async Task<BudgetRecordResult> Record(BudgetRecordRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        RequireConfig();
        var now = _time.GetUtcNow();
        var changed = Maintain(now);
        var s = state.State;

        if (request.RecordId is { } recordId && s.RecentRecordIds.Contains(recordId))
        {
            if (changed)
            {
                await WriteAsync();
            }
            return RecordResult(duplicate: true);
        }
        if (request.ReservationId is { } reservationId)
        {
            s.Reservations.Remove(reservationId);
        }
        s.SpentUsd += Usd(request.CostUsd);
        s.SpentTokens += request.Tokens;
        s.RecordsCount++;
        s.UpdatedAt = now;
        if (request.RecordId is { } id)
        {
            s.RecentRecordIds.Add(id);
            if (s.RecentRecordIds.Count > BudgetState.RecentRecordIdLimit)
            {
                s.RecentRecordIds.RemoveRange(0, s.RecentRecordIds.Count - BudgetState.RecentRecordIdLimit);
            }
        }
        var fired = FireAlerts();
        if (fired)
        {
            // Before the write: a crash right after it still finds a reminder that re-activates this budget.
            await EnsureAlertReminderAsync();
        }
        await WriteAsync();
        if (fired)
        {
            ScheduleAlertDelivery();
        }
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
        await WriteAsync();
        return true;
    }

    private BudgetConfig RequireConfig() => state.State.Config ?? throw new BudgetNotFoundException(BudgetId);

    private async Task WriteAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Rolls the period over and drops expired reservations and exemptions; true when anything changed.</summary>
    private bool Maintain(DateTimeOffset now)
    {
        var s = state.State;
        if (s.Config is null)
        {
            return false;
        }
        var period = s.Config.EffectivePeriod;
        var changed = false;
        if (s.PeriodResetsAt == default)
        {
            s.PeriodResetsAt = BudgetPeriods.NextStart(period, s.PeriodStart);
        }
        while (now >= s.PeriodResetsAt)
        {
            Archive(s.PeriodResetsAt, BudgetSpendLog.Rollover);
            s.PeriodStart = s.PeriodResetsAt;
            s.PeriodResetsAt = BudgetPeriods.NextStart(period, s.PeriodStart);
            ZeroPeriod();
            changed = true;
        }
        foreach (var expired in s.Reservations.Values.Where(r => r.ExpiresAt <= now).Select(r => r.Id).ToList())
        {
            s.Reservations.Remove(expired);
            changed = true;
        }
        var nowMs = now.ToUnixTimeMilliseconds();
        changed |= s.Exemptions.RemoveAll(e => e.ExpiresAt <= nowMs) > 0;
        return changed;
    }

    /// <summary>Keeps the spend of the period ending at <paramref name="end"/> as a spend log.</summary>
    private void Archive(DateTimeOffset end, string kind)
    {
        var s = state.State;
        s.SpendLogs.Add(new BudgetSpendLog { PeriodStart = s.PeriodStart, PeriodEnd = end, SpentUsd = s.SpentUsd, RecordsCount = s.RecordsCount, Kind = kind });
        if (s.SpendLogs.Count > BudgetState.SpendLogLimit)
        {
            s.SpendLogs.RemoveRange(0, s.SpendLogs.Count - BudgetState.SpendLogLimit);
        }
    }

    /// <summary>A new period: nothing spent, no alert fired yet.</summary>
    private void ZeroPeriod()
    {
        var s = state.State;
        s.SpentUsd = 0;
        s.SpentTokens = 0;
        s.RecordsCount = 0;
        s.Alerts = [.. s.Alerts.Select(a => a with { LastFiredPeriodStart = null })];
    }

    /// <summary><c>budget::check</c>'s order: paused, not enforced, exempt principal, then the ceilings.</summary>
    private BudgetCheckResult Evaluate(BudgetConfig config, decimal usd, long tokens, string? principalId, DateTimeOffset now)
    {
        if (config.IsPaused)
        {
            return Remaining(new BudgetCheckResult { Allowed = true, Reason = BudgetReasons.Paused });
        }
        if (!config.IsEnforced)
        {
            return Remaining(new BudgetCheckResult { Allowed = true, Reason = BudgetReasons.NotEnforced });
        }
        var s = state.State;
        if (principalId is not null && s.Exemptions.Any(e => e.PrincipalId == principalId && e.ExpiresAt > now.ToUnixTimeMilliseconds()))
        {
            return Remaining(new BudgetCheckResult { Allowed = true, Reason = BudgetReasons.Exempt });
        }
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

    /// <summary>Unix ms of the current period's start (0 for period <c>none</c>): the alerts' "fired in this period" mark.</summary>
    private long PeriodStartMs => state.State.PeriodStart == DateTimeOffset.MinValue ? 0 : state.State.PeriodStart.ToUnixTimeMilliseconds();
}
