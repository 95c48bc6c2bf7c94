using Orleans.Concurrency;

namespace Harness.ConsoleTurns;

/// <summary>
/// Every pending approval of the cluster (one grain, key <see cref="Key"/>), for <c>approval::list-pending</c>: added when a
/// turn parks a call, removed when it is resolved or the turn ends. Stored.
/// </summary>
public interface IPendingApprovalsGrain : IGrainWithStringKey
{
    const string Key = "all";

    Task Add(PendingApprovalRecord record);

    /// <summary>Removes and answers the record; null when it was not pending.</summary>
    Task<PendingApprovalRecord?> Remove(string sessionId, string functionCallId);

    /// <summary>Oldest first; <paramref name="sessionId"/> null = every session.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<IReadOnlyList<PendingApprovalRecord>> List(string? sessionId, int limit);
}
