using Harness.Approvals;
using Harness.Events;
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

    /// <summary>
    /// <see cref="GetState"/>, but when the step running now is past its inbox check (it may end the run without
    /// seeing a message queued now), once that step has stored its outcome; otherwise at once. For a caller that must
    /// know whether a message it just queued will be drained. Never called from this turn's own steps.
    /// </summary>
    [AlwaysInterleave]
    Task<TurnStateView?> GetStateAfterStep();

    /// <summary><c>approval::resolve</c>: records a decision for a parked call and wakes the turn; answers at once, even mid-step.</summary>
    [AlwaysInterleave]
    Task<ApprovalResolveResult> ResolveApproval(ApprovalResolveRequest request);

    /// <summary>The run request of the session's last run (provider, model, …), or null when it never ran.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<RunRequest?> GetRunRequest();

    /// <summary>
    /// Emits an event of another worker of this session (e.g. <c>compaction_done</c>) on the session's event stream with
    /// the session's next sequence number, and persists that number.
    /// </summary>
    [AlwaysInterleave]
    Task Announce(AgentEvent evt);

    /// <summary>
    /// Subscribes <paramref name="observer"/> to the session's events (or renews its subscription: subscribers renew
    /// well within <c>Harness:Turn:EventSubscriberExpiry</c>) and returns the stored frames after
    /// <paramref name="afterSeq"/>: the events of the current run, which every step writes with its state. Live
    /// frames follow as the turn emits them.
    /// </summary>
    [AlwaysInterleave]
    Task<AgentEventBacklog> SubscribeEvents(IAgentEventObserver observer, long afterSeq);

    [AlwaysInterleave]
    Task UnsubscribeEvents(IAgentEventObserver observer);

    /// <summary><c>turn::&lt;state&gt;</c>: runs the step for <paramref name="state"/> now; stale when the record left it.</summary>
    Task<TurnStepResult> Step(string state);
}
