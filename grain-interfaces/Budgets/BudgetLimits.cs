namespace Harness.Budgets;

/// <summary>Bounds shared by budget requests.</summary>
public static class BudgetLimits
{
    /// <summary>Largest USD amount accepted anywhere (keeps decimal arithmetic exact and overflow-free).</summary>
    public const double MaxUsd = 1_000_000_000d;

    /// <summary>Longest accepted id (<c>record_id</c>, <c>reservation_id</c>, <c>run_id</c>).</summary>
    public const int MaxIdLength = 256;

    /// <summary>Longest reservation lifetime: one day.</summary>
    public const int MaxReservationTtlSeconds = 86_400;
}
