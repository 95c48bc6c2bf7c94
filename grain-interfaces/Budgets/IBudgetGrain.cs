namespace Harness.Budgets;

/// <summary>
/// One spending budget. Its key is the budget id: an opaque <c>bdg_…</c> id from <c>budget::create</c> (USD ceiling,
/// attached to a workspace and/or agent through <see cref="IBudgetDirectoryGrain"/>), or <c>workspace:&lt;id&gt;</c> /
/// <c>agent:&lt;id&gt;</c> for budgets made by <see cref="Configure"/> (token and/or USD ceilings). The grain is the single
/// writer of its counters, so callers that <see cref="Reserve"/> before a model call and <see cref="Record"/> after it
/// cannot overspend together: a reservation holds its estimate until it is settled, released or expires.
/// Unknown ids throw <see cref="BudgetNotFoundException"/> (except <see cref="Get"/> and <see cref="Delete"/>).
/// </summary>
public interface IBudgetGrain : IGrainWithStringKey
{
    /// <summary><c>budget::create</c>: a new USD budget (enforced, not paused). A repeated create returns the existing one.</summary>
    Task<BudgetInfo> Create(BudgetCreateRequest request);

    /// <summary><c>budget::configure</c>: creates or replaces the budget settings; spent counters are kept.</summary>
    Task<BudgetView> Configure(BudgetConfig config);

    /// <summary>The budget with its counters, or null when it does not exist.</summary>
    Task<BudgetView?> Get();

    /// <summary><c>budget::get</c>: the budget in the original's shape (rolled over first).</summary>
    Task<BudgetInfo> Describe();

    /// <summary>
    /// <c>budget::update</c>: applies the patch. A period change archives the current spend (end = now), re-anchors the
    /// period at now, zeroes the spend and clears the alerts' fired marks.
    /// </summary>
    Task<BudgetInfo> Update(BudgetPatch patch);

    /// <summary>
    /// <c>budget::check</c>: would a call costing the estimate fit? Decides paused → not enforced → exempt principal →
    /// ceiling. Holds nothing; outstanding reservations count as spent.
    /// </summary>
    Task<BudgetCheckResult> Check(BudgetCheckRequest request);

    /// <summary>
    /// Like <see cref="Check"/>, but an allowed, enforced request also holds its estimate under the returned
    /// <c>reservation_id</c> until <see cref="Record"/> settles it, <see cref="Release"/> drops it or it expires.
    /// Idempotent by <c>reservation_id</c> when the caller supplies one.
    /// </summary>
    Task<BudgetCheckResult> Reserve(BudgetCheckRequest request);

    /// <summary>
    /// <c>budget::record</c>: adds actual spend, settles <c>reservation_id</c> if given, ignores a repeated
    /// <c>record_id</c> (reply <c>duplicate:true</c>) and fires every alert whose threshold is reached for the first
    /// time this period (durably: see the grain).
    /// </summary>
    Task<BudgetRecordResult> Record(BudgetRecordRequest request);

    /// <summary>Drops a reservation without spending; false when it was unknown (settled, released or expired).</summary>
    Task<bool> Release(string reservationId);

    /// <summary><c>budget::reset</c>: spend to 0, period re-anchored at the start of the current one, alert marks cleared.</summary>
    Task<BudgetResetResult> Reset();

    /// <summary><c>budget::alert_set</c>: adds an alert and returns its <c>alert_id</c>.</summary>
    Task<string> SetAlert(BudgetAlertRequest request);

    /// <summary><c>budget::usage</c>: <paramref name="window"/> is <c>all</c> (default) or the budget's own period.</summary>
    Task<BudgetUsage> Usage(string? window);

    /// <summary><c>budget::forecast</c>: the current period's daily rate projected over 30 days.</summary>
    Task<BudgetForecast> Forecast();

    /// <summary><c>budget::enforce</c>.</summary>
    Task<bool> SetEnforced(bool enforced);

    /// <summary><c>budget::pause</c>: a paused budget allows everything (reason <c>paused</c>) and still counts.</summary>
    Task<bool> SetPaused(bool paused);

    /// <summary><c>budget::exempt</c>: replaces the principal's exemption with one lasting 24 h; returns when it expires (Unix ms).</summary>
    Task<long> Exempt(string principalId, string reason);

    /// <summary><c>budget::delete</c>: deletes the budget and its counters (and pending alert deliveries).</summary>
    Task Delete();
}
