namespace Harness.Budgets;

/// <summary>Budget periods. Periods are calendar-aligned in UTC; <c>none</c> never resets.</summary>
public static class BudgetPeriods
{
    public const string Day = "day";
    public const string Month = "month";
    public const string None = "none";

    public static readonly string[] All = [Day, Month, None];

    /// <summary>Start of the period containing <paramref name="now"/>; <see cref="DateTimeOffset.MinValue"/> for <c>none</c>.</summary>
    public static DateTimeOffset StartOf(string period, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return period switch
        {
            Day => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            Month => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => DateTimeOffset.MinValue,
        };
    }
}
