namespace Harness.Budgets;

/// <summary>Values of <c>reason</c> in a check reply (spec §6).</summary>
public static class BudgetReasons
{
    /// <summary>The budget is paused: nothing is allowed.</summary>
    public const string Paused = "paused";

    /// <summary>The budget only counts; everything is allowed.</summary>
    public const string NotEnforced = "not_enforced";

    /// <summary>The estimate does not fit under a ceiling (spent + reserved + estimate &gt; ceiling, or nothing left).</summary>
    public const string CeilingExceeded = "ceiling_exceeded";
}
