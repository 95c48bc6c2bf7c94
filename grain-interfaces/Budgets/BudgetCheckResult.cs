namespace Harness.Budgets;

/// <summary>
/// Reply of check / reserve: <c>{allowed, remaining_usd?, remaining_tokens?, reason?, reservation_id?, expires_at?}</c>.
/// Remaining amounts are after outstanding reservations (including this one), floored at 0, null when unlimited.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BudgetCheckResult
{
    [Id(0), JsonPropertyName("allowed")] public bool Allowed { get; init; }
    [Id(1), JsonPropertyName("remaining_usd")] public double? RemainingUsd { get; init; }
    [Id(2), JsonPropertyName("remaining_tokens")] public long? RemainingTokens { get; init; }

    /// <summary>One of <see cref="BudgetReasons"/>, or null for a plain allow.</summary>
    [Id(3), JsonPropertyName("reason")] public string? Reason { get; init; }

    /// <summary>Set by an allowed, enforced reserve: pass it to record (or release) to settle the hold.</summary>
    [Id(4), JsonPropertyName("reservation_id")] public string? ReservationId { get; init; }

    /// <summary>Unix milliseconds when the reservation lapses if it is never settled.</summary>
    [Id(5), JsonPropertyName("expires_at")] public long? ExpiresAt { get; init; }
}
