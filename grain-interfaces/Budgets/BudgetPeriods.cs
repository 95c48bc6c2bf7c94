namespace Harness.Budgets;

/// <summary>
/// Budget periods, calendar-aligned in UTC: day start, ISO week (from Monday), first of the month; <c>none</c> (only
/// for <c>budget::configure</c>) never resets.
/// </summary>
public static class BudgetPeriods
{
    public const string Day = "day";
    public const string Week = "week";
    public const string Month = "month";
    public const string None = "none";

    public static readonly string[] All = [Day, Week, Month, None];

    /// <summary>The periods of <c>budget::create</c> / <c>budget::update</c> (the original's three).</summary>
    public static readonly string[] Usd = [Day, Week, Month];

    /// <summary>Start of the period containing <paramref name="now"/>; <see cref="DateTimeOffset.MinValue"/> for <c>none</c>.</summary>
    public static DateTimeOffset StartOf(string period, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var day = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
        return period switch
        {
            Day => day,
            Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            Month => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => DateTimeOffset.MinValue,
        };
    }

    /// <summary>
    /// When a period that began at <paramref name="start"/> ends: +1 day, +7 days or the next month's 1st (also for a
    /// period re-anchored mid-month by a period change); never for <c>none</c>.
    /// </summary>
    public static DateTimeOffset NextStart(string period, DateTimeOffset start)
    {
        var utc = start.ToUniversalTime();
        return period switch
        {
            Day => utc.AddDays(1),
            Week => utc.AddDays(7),
            Month => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1),
            _ => DateTimeOffset.MaxValue,
        };
    }
}
