namespace Harness.Budgets;

/// <summary>An estimate held against a budget until it is settled, released or expires.</summary>
[GenerateSerializer, Immutable]
public sealed record BudgetReservation
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public decimal Usd { get; init; }
    [Id(2)] public long Tokens { get; init; }
    [Id(3)] public DateTimeOffset ExpiresAt { get; init; }
    [Id(4)] public string? RunId { get; init; }
}
