using Harness.Messages;
using Orleans.Concurrency;

namespace Harness.ConsoleTurns;

/// <summary>
/// The C4 turn ledger of one session (key = session id) over the session's <see cref="Turns.ITurnGrain"/>: turn ids and
/// their history, <c>idempotency_key</c> dedupe, and the queue of messages sent while a turn is busy (the session's
/// steering inbox, which the FSM's <c>steering_check</c> drains). It never runs the FSM itself.
/// </summary>
public interface IConsoleTurnsGrain : IGrainWithStringKey
{
    /// <summary><c>harness::send</c>: starts a turn when idle, otherwise queues (streaming) or merges (other states).</summary>
    Task<ConsoleSendResult> Send(ConsoleSendCommand command);

    /// <summary><c>harness::stop</c>: aborts the running turn (only if it is <paramref name="turnId"/>, when given).</summary>
    Task<bool> Stop(string? turnId);

    /// <summary><c>harness::status</c>; null for a session that never ran.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<ConsoleStatusReport?> Status();

    Task<bool> Unqueue(string entryId);

    Task<bool> EditQueued(string entryId, AgentMessage message);

    /// <summary>The event sink saw a run start: answers its turn id (the one <see cref="Send"/> minted, or a new one).</summary>
    Task<string> TurnStarted(long at);

    /// <summary>The event sink saw a run end in <paramref name="state"/>: closes the current turn and answers it.</summary>
    Task<ConsoleTurnRecord?> TurnEnded(string state, bool aborted, string? error, long at);

    /// <summary>The current (or last) turn id; null when none.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<string?> CurrentTurnId();
}
