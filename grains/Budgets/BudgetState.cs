namespace Harness.Budgets;

/// <summary>
/// Stored budget: settings, the counters of the current period, outstanding reservations, the most recent
/// <c>record_id</c>s (kept across periods so a retry after a rollover still counts once), the original's metadata,
/// alerts and exemptions, the spend logs of past periods and the alert callbacks not yet delivered (the outbox).
/// </summary>
[GenerateSerializer]
public sealed class BudgetState
{
    /// <summary>How many recent record ids are remembered for idempotency.</summary>
    public const int RecentRecordIdLimit = 1024;

    /// <summary>How many past-period spend logs are kept (oldest dropped first).</summary>
    public const int SpendLogLimit = 400;

    [Id(0)] public BudgetConfig? Config { get; set; }
    [Id(1)] public DateTimeOffset PeriodStart { get; set; }
    // decimal: USD amounts add up exactly, so "spent == ceiling" comparisons are reliable.
    [Id(2)] public decimal SpentUsd { get; set; }
    [Id(3)] public long SpentTokens { get; set; }
    [Id(4)] public Dictionary<string, BudgetReservation> Reservations { get; set; } = new(StringComparer.Ordinal);
    [Id(5)] public List<string> RecentRecordIds { get; set; } = [];

    [Id(6)] public string? WorkspaceId { get; set; }
    [Id(7)] public string? AgentId { get; set; }
    [Id(8)] public string? Name { get; set; }
    [Id(9)] public DateTimeOffset CreatedAt { get; set; }
    [Id(10)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>End of the current period; default (rows from before it was stored) means "derive from the start".</summary>
    [Id(11)] public DateTimeOffset PeriodResetsAt { get; set; }
    [Id(12)] public List<BudgetAlert> Alerts { get; set; } = [];
    [Id(13)] public List<BudgetExemption> Exemptions { get; set; } = [];
    [Id(14)] public List<BudgetSpendLog> SpendLogs { get; set; } = [];

    /// <summary><c>budget::record</c> calls counted in the current period.</summary>
    [Id(15)] public int RecordsCount { get; set; }
    [Id(16)] public List<BudgetAlertDelivery> PendingAlerts { get; set; } = [];

    public decimal ReservedUsd => Reservations.Values.Sum(r => r.Usd);
    public long ReservedTokens => Reservations.Values.Sum(r => r.Tokens);
}

/// <summary>The spend of a finished period (the original's <c>spend_log:&lt;id&gt;:&lt;period_start&gt;</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record BudgetSpendLog
{
    /// <summary>Why the period ended early or on time.</summary>
    public const string Rollover = "rollover", Reset = "reset", PeriodChange = "period_change";

    [Id(0)] public DateTimeOffset PeriodStart { get; init; }
    [Id(1)] public DateTimeOffset PeriodEnd { get; init; }
    [Id(2)] public decimal SpentUsd { get; init; }
    [Id(3)] public int RecordsCount { get; init; }
    [Id(4)] public string Kind { get; init; } = Rollover;
}

/// <summary>An alert callback written in the same state write that marked the alert fired, removed once delivered.</summary>
[GenerateSerializer, Immutable]
public sealed record BudgetAlertDelivery
{
    /// <summary><c>&lt;alert_id&gt;@&lt;period_start ms&gt;</c>: one firing per alert per period.</summary>
    [Id(0)] public required string DeliveryId { get; init; }
    [Id(1)] public required string FunctionId { get; init; }

    /// <summary>The callback payload as JSON text.</summary>
    [Id(2)] public required string Payload { get; init; }
    [Id(3)] public int Attempts { get; init; }
}
