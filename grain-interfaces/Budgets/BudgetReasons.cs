namespace Harness.Budgets;

/// <summary>Values of <c>reason</c> in a check reply, in the order <c>budget::check</c> decides.</summary>
public static class BudgetReasons
{
    /// <summary>The budget is paused: enforcement is suspended, everything is allowed (the original's rule).</summary>
    public const string Paused = "paused";

    /// <summary>The budget only counts; everything is allowed.</summary>
    public const string NotEnforced = "not_enforced";

    /// <summary>The caller's <c>principal_id</c> holds an unexpired exemption.</summary>
    public const string Exempt = "exempt";

    /// <summary>The estimate does not fit under a ceiling (spent + reserved + estimate &gt; ceiling, or nothing left).</summary>
    public const string CeilingExceeded = "ceiling_exceeded";
}
