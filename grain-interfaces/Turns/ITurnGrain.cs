using Harness.Approvals;
using Harness.Compaction;
using Orleans.Concurrency;

namespace Harness.Turns;

/// <summary>
/// The turn FSM of one session (key = session id). Calls are serial per session; each step persists
/// before the next one is scheduled, and a durable reminder resumes a turn whose silo died.
/// </summary>
public interface ITurnGrain : IGrainWithStringKey
{
    /// <summary><c>run::start</c>: starts a run, or replies <c>started:false, reason:"session_busy"</c> at once, even mid-step.</summary>
    [AlwaysInterleave]
    Task<RunStartResult> Start(RunStartRequest request);

    /// <summary><c>run::abort</c>: ends an in-flight run with a synthetic aborted assistant.</summary>
    [AlwaysInterleave]
    Task<RunAbortResult> Abort();

    /// <summary><c>turn::get_state</c>: the lean view, or null for an unknown session.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<TurnStateView?> GetState();

    /// <summary><c>approval::resolve</c>: records a decision for a parked call and wakes the turn; answers at once, even mid-step.</summary>
    [AlwaysInterleave]
    Task<ApprovalResolveResult> ResolveApproval(ApprovalResolveRequest request);

    /// <summary><c>context-compaction::compact_now</c> (<c>/compact</c>): summarise the session now, serial with the turn's steps.</summary>
    Task<CompactResult> Compact(CompactRequest request);

    /// <summary><c>turn::&lt;state&gt;</c>: runs the step for <paramref name="state"/> now; stale when the record left it.</summary>
    Task<TurnStepResult> Step(string state);
}
