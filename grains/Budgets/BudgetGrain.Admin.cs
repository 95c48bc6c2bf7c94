using Harness.Validation;

namespace Harness.Budgets;

/// <summary>The original's administration of a budget: create, describe, update, reset, alerts, usage, forecast, flags.</summary>
public sealed partial class BudgetGrain
{
    private static readonly TimeSpan ExemptionLifetime = TimeSpan.FromHours(24);

    public async Task<BudgetInfo> Create(BudgetCreateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var s = state.State;
        if (s.Config is not null)
        {
            return Info();  // a retried create of the same id
        }
        var now = _time.GetUtcNow();
        s.Config = new BudgetConfig { Period = request.Period, CeilingUsd = request.CeilingUsd, Enforced = true, Paused = false };
        s.WorkspaceId = request.WorkspaceId;
        s.AgentId = request.AgentId;
        s.Name = request.Name;
        s.CreatedAt = s.UpdatedAt = now;
        s.PeriodStart = BudgetPeriods.StartOf(request.Period!, now);
        s.PeriodResetsAt = BudgetPeriods.NextStart(request.Period!, s.PeriodStart);
        await WriteAsync();
        return Info();
    }

    public Task<BudgetInfo> Describe()
    {
        RequireConfig();
        Maintain(_time.GetUtcNow());
        return Task.FromResult(Info());
    }

    public async Task<BudgetInfo> Update(BudgetPatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        patch.Validate();
        var config = RequireConfig();
        var now = _time.GetUtcNow();
        Maintain(now);
        var s = state.State;
        if (patch.Period is { } period && period != config.EffectivePeriod)
        {
            Archive(now, BudgetSpendLog.PeriodChange);
            s.PeriodStart = now;
            s.PeriodResetsAt = BudgetPeriods.NextStart(period, now);
            ZeroPeriod();
        }
        s.Config = config with
        {
            Period = patch.Period ?? config.Period,
            CeilingUsd = patch.CeilingUsd ?? config.CeilingUsd,
            Enforced = patch.Enforced ?? config.Enforced,
            Paused = patch.Paused ?? config.Paused,
        };
        s.Name = patch.Name ?? s.Name;
        s.UpdatedAt = now;
        await WriteAsync();
        return Info();
    }

    public async Task<BudgetResetResult> Reset()
    {
        var config = RequireConfig();
        var now = _time.GetUtcNow();
        Maintain(now);
        var s = state.State;
        var previous = s.SpentUsd;
        Archive(now, BudgetSpendLog.Reset);
        s.PeriodStart = BudgetPeriods.StartOf(config.EffectivePeriod, now);
        s.PeriodResetsAt = BudgetPeriods.NextStart(config.EffectivePeriod, s.PeriodStart);
        ZeroPeriod();
        s.UpdatedAt = now;
        await WriteAsync();
        return new BudgetResetResult { BudgetId = BudgetId, PreviousSpentUsd = (double)previous };
    }

    public async Task<string> SetAlert(BudgetAlertRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        RequireConfig();
        var alert = new BudgetAlert
        {
            AlertId = $"alt_{Guid.NewGuid():N}",
            ThresholdPct = request.ThresholdPct!.Value,
            CallbackFunctionId = request.CallbackFunctionId!,
            CallbackPayload = request.CallbackPayload is { ValueKind: JsonValueKind.Object } p ? p.Clone() : null,
        };
        state.State.Alerts.Add(alert);
        state.State.UpdatedAt = _time.GetUtcNow();
        await WriteAsync();
        return alert.AlertId;
    }

    public Task<BudgetUsage> Usage(string? window)
    {
        var config = RequireConfig();
        window ??= "all";
        if (window != "all" && window != config.EffectivePeriod)
        {
            throw new PayloadValidationException("window", $"must be 'all' or the budget's period '{config.EffectivePeriod}' (got '{window}')");
        }
        Maintain(_time.GetUtcNow());
        var s = state.State;
        var current = new BudgetPeriodSpend { Period = PeriodStartMs, Spent = (double)s.SpentUsd };
        if (window != "all")
        {
            return Task.FromResult(new BudgetUsage { SpentUsd = current.Spent, ByPeriod = [current], RecordsCount = s.RecordsCount });
        }
        var past = s.SpendLogs.Select(l => new BudgetPeriodSpend
        {
            Period = l.PeriodStart == DateTimeOffset.MinValue ? 0 : l.PeriodStart.ToUnixTimeMilliseconds(),
            Spent = (double)l.SpentUsd,
        });
        return Task.FromResult(new BudgetUsage
        {
            SpentUsd = (double)(s.SpendLogs.Sum(l => l.SpentUsd) + s.SpentUsd),
            ByPeriod = [.. past, current],
            RecordsCount = s.SpendLogs.Sum(l => l.RecordsCount) + s.RecordsCount,
        });
    }

    public Task<BudgetForecast> Forecast()
    {
        var config = RequireConfig();
        var now = _time.GetUtcNow();
        Maintain(now);
        var s = state.State;
        var spent = (double)s.SpentUsd;
        var since = s.PeriodStart == DateTimeOffset.MinValue ? s.CreatedAt : s.PeriodStart;
        var rate = spent / Math.Max(1, (now - since).TotalDays);
        var daysRemaining = s.PeriodResetsAt == DateTimeOffset.MaxValue ? 0 : Math.Max(0, (s.PeriodResetsAt - now).TotalDays);
        double? remaining = config.CeilingUsd is { } c ? c - spent : null;
        return Task.FromResult(new BudgetForecast
        {
            ProjectedMonthUsd = rate * 30,
            DaysUntilBreach = remaining is > 0 && rate > 0 ? remaining / rate : null,
            OnTrack = remaining is not { } left || rate * daysRemaining <= left,
        });
    }

    public async Task<bool> SetEnforced(bool enforced)
    {
        var config = RequireConfig();
        state.State.Config = config with { Enforced = enforced };
        state.State.UpdatedAt = _time.GetUtcNow();
        await WriteAsync();
        return enforced;
    }

    public async Task<bool> SetPaused(bool paused)
    {
        var config = RequireConfig();
        state.State.Config = config with { Paused = paused };
        state.State.UpdatedAt = _time.GetUtcNow();
        await WriteAsync();
        return paused;
    }

    public async Task<long> Exempt(string principalId, string reason)
    {
        BudgetValidation.OptionalId(Require.NonEmpty(principalId, "principal_id"), "principal_id");
        Require.NonEmpty(reason, "reason");
        RequireConfig();
        var now = _time.GetUtcNow();
        Maintain(now);
        var expiresAt = (now + ExemptionLifetime).ToUnixTimeMilliseconds();
        var s = state.State;
        s.Exemptions.RemoveAll(e => e.PrincipalId == principalId);
        s.Exemptions.Add(new BudgetExemption { PrincipalId = principalId, Reason = reason, ExpiresAt = expiresAt });
        s.UpdatedAt = now;
        await WriteAsync();
        return expiresAt;
    }

    public async Task Delete()
    {
        StopAlertDelivery();
        await UnregisterAlertReminderAsync();
        await _writeLock.WaitAsync();
        try
        {
            await state.ClearStateAsync();
            state.State = new BudgetState();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private BudgetInfo Info()
    {
        var s = state.State;
        var config = s.Config!;
        return new BudgetInfo
        {
            Id = BudgetId,
            WorkspaceId = s.WorkspaceId,
            AgentId = s.AgentId,
            Name = s.Name,
            CeilingUsd = config.CeilingUsd,
            Period = config.EffectivePeriod,
            SpentUsd = (double)s.SpentUsd,
            PeriodStartAt = s.PeriodStart == DateTimeOffset.MinValue ? null : s.PeriodStart.ToUnixTimeMilliseconds(),
            PeriodResetsAt = s.PeriodResetsAt == DateTimeOffset.MaxValue || s.PeriodResetsAt == default ? null : s.PeriodResetsAt.ToUnixTimeMilliseconds(),
            Enforced = config.IsEnforced,
            Paused = config.IsPaused,
            Alerts = [.. s.Alerts],
            Exemptions = [.. s.Exemptions],
            CreatedAt = s.CreatedAt.ToUnixTimeMilliseconds(),
            UpdatedAt = s.UpdatedAt.ToUnixTimeMilliseconds(),
            ReservedUsd = (double)s.ReservedUsd,
            CeilingTokens = config.CeilingTokens,
            SpentTokens = s.SpentTokens,
            PendingAlertDeliveries = s.PendingAlerts.Count,
        };
    }
}
