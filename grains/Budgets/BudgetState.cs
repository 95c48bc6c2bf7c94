namespace Harness.Budgets;

/// <summary>
/// Stored budget: settings, the counters of the current period, outstanding reservations and the most recent
/// <c>record_id</c>s (kept across periods so a retry after a rollover still counts once).
/// </summary>
[GenerateSerializer]
public sealed class BudgetState
{
    /// <summary>How many recent record ids are remembered for idempotency.</summary>
    public const int RecentRecordIdLimit = 1024;

    [Id(0)] public BudgetConfig? Config { get; set; }
    [Id(1)] public DateTimeOffset PeriodStart { get; set; }
    // decimal: USD amounts add up exactly, so "spent == ceiling" comparisons are reliable.
    [Id(2)] public decimal SpentUsd { get; set; }
    [Id(3)] public long SpentTokens { get; set; }
    [Id(4)] public Dictionary<string, BudgetReservation> Reservations { get; set; } = new(StringComparer.Ordinal);
    [Id(5)] public List<string> RecentRecordIds { get; set; } = [];

    public decimal ReservedUsd => Reservations.Values.Sum(r => r.Usd);
    public long ReservedTokens => Reservations.Values.Sum(r => r.Tokens);
}
