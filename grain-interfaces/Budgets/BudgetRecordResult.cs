namespace Harness.Budgets;

/// <summary>
/// Reply of <c>budget::record</c>: totals of the current period after recording, and <c>duplicate:true</c> when the
/// <c>record_id</c> was already counted (nothing changed).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BudgetRecordResult
{
    [Id(0), JsonPropertyName("spent_usd")] public double SpentUsd { get; init; }
    [Id(1), JsonPropertyName("spent_tokens")] public long SpentTokens { get; init; }
    [Id(2), JsonPropertyName("remaining_usd")] public double? RemainingUsd { get; init; }
    [Id(3), JsonPropertyName("remaining_tokens")] public long? RemainingTokens { get; init; }
    [Id(4), JsonPropertyName("duplicate")] public bool Duplicate { get; init; }
}
