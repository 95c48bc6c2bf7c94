namespace Harness.Budgets;

/// <summary>A budget with its settings and the counters of the current period.</summary>
[GenerateSerializer, Immutable]
public sealed record BudgetView
{
    [Id(0), JsonPropertyName("budget_id")] public required string BudgetId { get; init; }
    [Id(1), JsonPropertyName("config")] public required BudgetConfig Config { get; init; }

    /// <summary>Unix milliseconds of the current period's start; null for period <c>none</c>.</summary>
    [Id(2), JsonPropertyName("period_start")] public long? PeriodStart { get; init; }
    [Id(3), JsonPropertyName("spent_usd")] public double SpentUsd { get; init; }
    [Id(4), JsonPropertyName("spent_tokens")] public long SpentTokens { get; init; }
    [Id(5), JsonPropertyName("reserved_usd")] public double ReservedUsd { get; init; }
    [Id(6), JsonPropertyName("reserved_tokens")] public long ReservedTokens { get; init; }
    [Id(7), JsonPropertyName("remaining_usd")] public double? RemainingUsd { get; init; }
    [Id(8), JsonPropertyName("remaining_tokens")] public long? RemainingTokens { get; init; }
    [Id(9), JsonPropertyName("active_reservations")] public int ActiveReservations { get; init; }
}
