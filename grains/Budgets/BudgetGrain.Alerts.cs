using System.Text.Json.Nodes;
using Harness.Functions;

namespace Harness.Budgets;

/// <summary>
/// Alert callbacks, durably: when a record reaches a threshold, the alert's "fired in this period" mark and the
/// callback (an outbox entry) are saved in the same state write; a timer then triggers the callback function through
/// <see cref="IFunctionInvoker"/> (the bus when the iii bridge is on) and removes the entry once it was delivered.
/// Guarantee: at least once, and exactly once unless the silo dies between a delivery and the write that removes it.
/// An entry still pending after a crash is delivered when the budget activates again: a reminder, registered before
/// the write that added the entry, re-activates it. An unknown callback function or a failed connection is retried
/// every <see cref="BudgetOptions.AlertRetryInterval"/>; a callback that ran and answered an error counts as delivered.
/// </summary>
public sealed partial class BudgetGrain
{
    private const string AlertReminder = "budget-alerts";

    private IGrainTimer? _alertTimer;
    private bool _delivering;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.PendingAlerts.Count > 0)
        {
            ScheduleAlertDelivery();
        }
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != AlertReminder)
        {
            return;
        }
        if (state.State.PendingAlerts.Count == 0)
        {
            await UnregisterAlertReminderAsync();
            return;
        }
        ScheduleAlertDelivery();
    }

    /// <summary>Marks every alert reached for the first time this period and queues its callback; true when any fired.</summary>
    private bool FireAlerts()
    {
        var s = state.State;
        if (CeilingUsd(s.Config!) is not { } ceiling || ceiling <= 0)
        {
            return false;
        }
        var ratio = s.SpentUsd / ceiling;
        var period = PeriodStartMs;
        var fired = false;
        for (var i = 0; i < s.Alerts.Count; i++)
        {
            var alert = s.Alerts[i];
            if (ratio < (decimal)alert.ThresholdPct || alert.LastFiredPeriodStart == period)
            {
                continue;
            }
            s.Alerts[i] = alert with { LastFiredPeriodStart = period };
            var payload = alert.CallbackPayload is { ValueKind: JsonValueKind.Object } extra
                ? JsonNode.Parse(extra.GetRawText())!.AsObject()
                : new JsonObject();
            // The alert's own fields win over the caller's payload.
            payload["alert_id"] = alert.AlertId;
            payload["budget_id"] = BudgetId;
            payload["spent_usd"] = (double)s.SpentUsd;
            payload["ceiling_usd"] = (double)ceiling;
            payload["threshold_pct"] = alert.ThresholdPct;
            var deliveryId = $"{alert.AlertId}@{period}";
            if (s.PendingAlerts.All(d => d.DeliveryId != deliveryId))
            {
                s.PendingAlerts.Add(new BudgetAlertDelivery { DeliveryId = deliveryId, FunctionId = alert.CallbackFunctionId, Payload = payload.ToJsonString() });
            }
            fired = true;
        }
        return fired;
    }

    private Task EnsureAlertReminderAsync() =>
        this.RegisterOrUpdateReminder(AlertReminder, _options.AlertReminderPeriod, _options.AlertReminderPeriod);

    private async Task UnregisterAlertReminderAsync()
    {
        if (await this.GetReminder(AlertReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private void ScheduleAlertDelivery()
    {
        if (_alertTimer is null)
        {
            // Interleaved: a slow callback must not hold up checks and records of this budget.
            _alertTimer = this.RegisterGrainTimer(DeliverAlertsAsync, new GrainTimerCreationOptions(TimeSpan.Zero, _options.AlertRetryInterval)
            {
                Interleave = true,
                KeepAlive = true,
            });
        }
        else if (!_delivering)
        {
            _alertTimer.Change(TimeSpan.Zero, _options.AlertRetryInterval);
        }
    }

    private void StopAlertDelivery()
    {
        _alertTimer?.Dispose();
        _alertTimer = null;
    }

    private async Task DeliverAlertsAsync(CancellationToken cancellationToken)
    {
        if (_delivering)
        {
            return;
        }
        _delivering = true;
        try
        {
            var attempted = new HashSet<string>(StringComparer.Ordinal);
            // Loop so entries added while a batch was in flight go out now rather than one retry interval later.
            while (state.State.PendingAlerts.Where(d => !attempted.Contains(d.DeliveryId)).ToList() is { Count: > 0 } batch)
            {
                var delivered = new HashSet<string>(StringComparer.Ordinal);
                foreach (var delivery in batch)
                {
                    attempted.Add(delivery.DeliveryId);
                    if (await TryDeliverAsync(delivery, cancellationToken))
                    {
                        delivered.Add(delivery.DeliveryId);
                    }
                }
                await SettleAsync(delivered, batch.Where(d => !delivered.Contains(d.DeliveryId)).Select(d => d.DeliveryId).ToHashSet(StringComparer.Ordinal));
            }
            if (state.State.PendingAlerts.Count == 0)
            {
                StopAlertDelivery();
                await UnregisterAlertReminderAsync();
            }
        }
        finally
        {
            _delivering = false;
        }
    }

    private async Task<bool> TryDeliverAsync(BudgetAlertDelivery delivery, CancellationToken cancellationToken)
    {
        if (_invoker is null)
        {
            _logger.LogWarning("Budget {BudgetId}: no function invoker to deliver alert {DeliveryId}", BudgetId, delivery.DeliveryId);
            return false;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.AlertCallbackTimeout);
        try
        {
            using var payload = JsonDocument.Parse(delivery.Payload);
            await _invoker.InvokeAsync(delivery.FunctionId, payload.RootElement, timeout.Token);
            return true;
        }
        catch (FunctionInvocationException ex) when (!string.Equals(ex.Code, "timeout", StringComparison.OrdinalIgnoreCase))
        {
            // It ran: triggering it again would fire the alert twice.
            _logger.LogWarning("Budget {BudgetId}: alert callback {FunctionId} answered {Code}: {Detail}", BudgetId, delivery.FunctionId, ex.Code, ex.Detail);
            return true;
        }
        catch (Exception ex) when (ex is FunctionNotFoundException or FunctionInvocationException or OperationCanceledException or IOException or InvalidOperationException or TimeoutException)
        {
            _logger.LogInformation("Budget {BudgetId}: alert {DeliveryId} not delivered yet ({Error}); will retry", BudgetId, delivery.DeliveryId, ex.Message);
            return false;
        }
    }

    /// <summary>Removes delivered entries, counts an attempt on failed ones and drops those out of attempts.</summary>
    private async Task SettleAsync(HashSet<string> delivered, HashSet<string> failed)
    {
        var s = state.State;
        var before = s.PendingAlerts.Count;
        s.PendingAlerts = [.. s.PendingAlerts
            .Where(d => !delivered.Contains(d.DeliveryId))
            .Select(d => failed.Contains(d.DeliveryId) ? d with { Attempts = d.Attempts + 1 } : d)];
        foreach (var dropped in s.PendingAlerts.Where(d => d.Attempts >= _options.AlertMaxAttempts).ToList())
        {
            _logger.LogError("Budget {BudgetId}: alert {DeliveryId} to {FunctionId} dropped after {Attempts} attempts", BudgetId, dropped.DeliveryId, dropped.FunctionId, dropped.Attempts);
            s.PendingAlerts.Remove(dropped);
        }
        if (before > 0 && s.Config is not null)
        {
            await WriteAsync();
        }
    }
}
