namespace Harness.Budgets;

/// <summary>Alert delivery settings, bound from <c>Harness:Budgets</c>.</summary>
public sealed class BudgetOptions
{
    /// <summary>Pause between delivery attempts of an alert callback that could not be delivered.</summary>
    public TimeSpan AlertRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts before an undeliverable alert callback is dropped (logged as an error).</summary>
    public int AlertMaxAttempts { get; set; } = 50;

    /// <summary>How long one callback may take before the attempt counts as failed.</summary>
    public TimeSpan AlertCallbackTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Period of the reminder that re-activates a budget with undelivered alerts after a silo crash.</summary>
    public TimeSpan AlertReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
