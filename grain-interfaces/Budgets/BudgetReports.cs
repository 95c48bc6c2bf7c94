namespace Harness.Budgets;

/// <summary><c>budget::usage</c>: <c>{spent_usd, by_period:[{period, spent}], records_count}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record BudgetUsage
{
    [Id(0), JsonPropertyName("spent_usd")] public double SpentUsd { get; init; }
    [Id(1), JsonPropertyName("by_period")] public IReadOnlyList<BudgetPeriodSpend> ByPeriod { get; init; } = [];

    /// <summary>How many <c>budget::record</c> calls the window counted.</summary>
    [Id(2), JsonPropertyName("records_count")] public int RecordsCount { get; init; }
}

/// <summary>Spend of one period: <c>{period: start in Unix ms, spent}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record BudgetPeriodSpend
{
    [Id(0), JsonPropertyName("period")] public long Period { get; init; }
    [Id(1), JsonPropertyName("spent")] public double Spent { get; init; }
}

/// <summary><c>budget::forecast</c>: <c>{projected_month_usd, on_track, days_until_breach}</c> (null: no breach ahead).</summary>
[GenerateSerializer, Immutable]
public sealed record BudgetForecast
{
    [Id(0), JsonPropertyName("projected_month_usd")] public double ProjectedMonthUsd { get; init; }
    [Id(1), JsonPropertyName("on_track")] public bool OnTrack { get; init; }
    [Id(2), JsonPropertyName("days_until_breach")] public double? DaysUntilBreach { get; init; }
}

/// <summary><c>budget::reset</c>: <c>{budget_id, previous_spent_usd}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record BudgetResetResult
{
    [Id(0), JsonPropertyName("budget_id")] public required string BudgetId { get; init; }
    [Id(1), JsonPropertyName("previous_spent_usd")] public double PreviousSpentUsd { get; init; }
}
