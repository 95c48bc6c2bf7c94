namespace Harness.Budgets;

/// <summary>
/// One spending budget (key = budget id such as <c>workspace:&lt;id&gt;</c> or <c>agent:&lt;id&gt;</c>) with token
/// and/or USD ceilings per period. The grain is the single writer of its counters, so callers that
/// <see cref="Reserve"/> before a model call and <see cref="Record"/> after it cannot overspend together: a
/// reservation holds its estimate until it is settled, released or expires.
/// </summary>
public interface IBudgetGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the budget settings; spent counters are kept.</summary>
    Task<BudgetView> Configure(BudgetConfig config);

    /// <summary>The budget with its counters, or null when it was never configured.</summary>
    Task<BudgetView?> Get();

    /// <summary>
    /// <c>budget::check</c>: would a call costing the estimate fit? Read-only; outstanding reservations count as spent.
    /// Throws <see cref="BudgetNotFoundException"/> for an unconfigured budget.
    /// </summary>
    Task<BudgetCheckResult> Check(BudgetCheckRequest request);

    /// <summary>
    /// Like <see cref="Check"/>, but an allowed request also holds its estimate under the returned
    /// <c>reservation_id</c> until <see cref="Record"/> settles it, <see cref="Release"/> drops it or it expires.
    /// Idempotent by <c>reservation_id</c> when the caller supplies one.
    /// </summary>
    Task<BudgetCheckResult> Reserve(BudgetCheckRequest request);

    /// <summary>
    /// <c>budget::record</c>: adds actual spend, settles <c>reservation_id</c> if given, and ignores a repeated
    /// <c>record_id</c> (reply <c>duplicate:true</c>).
    /// </summary>
    Task<BudgetRecordResult> Record(BudgetRecordRequest request);

    /// <summary>Drops a reservation without spending; false when it was unknown (settled, released or expired).</summary>
    Task<bool> Release(string reservationId);

    /// <summary>Deletes the budget and its counters.</summary>
    Task Delete();
}
