using static Harness.Turns.TurnStates;

namespace Harness.Turns;

/// <summary>The FSM of spec §2.6 as one table. <see cref="TurnGrain"/> refuses to persist a move that is not in it.</summary>
public static class TurnTransitions
{
    public sealed record Transition(string From, string To, string When);

    public static readonly IReadOnlyList<Transition> Table =
    [
        new(Provisioning, AssistantStreaming, "run request prepared"),
        new(AssistantStreaming, FunctionExecute, "assistant has at least one function_call block"),
        new(AssistantStreaming, SteeringCheck, "assistant has no function calls"),
        new(AssistantStreaming, Stopped, "stop_reason error or aborted (turn_end + agent_end first)"),
        new(FunctionExecute, FunctionAwaitingApproval, "at least one call pending approval"),
        new(FunctionExecute, SteeringCheck, "batch complete, not every result terminates"),
        new(FunctionExecute, Stopped, "batch complete and every result has terminate:true"),
        new(FunctionAwaitingApproval, FunctionAwaitingApproval, "some entries still undecided"),
        new(FunctionAwaitingApproval, FunctionExecute, "none awaiting, batch incomplete"),
        new(FunctionAwaitingApproval, SteeringCheck, "none awaiting, batch complete"),
        new(FunctionAwaitingApproval, Stopped, "none awaiting, batch complete, every result terminates"),
        new(SteeringCheck, AssistantStreaming, "inbox message or function results, max_turns not reached"),
        new(SteeringCheck, Stopped, "nothing to do, or max_turns reached"),
        .. All.Where(s => !IsTerminal(s)).Select(s => new Transition(s, Failed, "unexpected step error")),
        .. All.Where(s => !IsTerminal(s)).Where(s => s != Provisioning).Select(s => new Transition(s, Stopped, "run::abort")),
    ];

    public static bool IsAllowed(string from, string to) => Table.Any(t => t.From == from && t.To == to);

    /// <summary>
    /// Moves whose second step runs inside the first, its outcome stored by the first's write: steps with no effect
    /// of their own that a re-run repeats exactly. A steering_check after a plain answer appends nothing and its inbox
    /// move is idempotent by entry id. (Provisioning, which only prepares the run, likewise runs inside run::start.)
    /// Every state still passes the table and announces its <c>turn_state_changed</c>; a crash before the write
    /// re-runs the pair from the stored state (the stored answer is reused, not asked for again). Saves two of the
    /// eight writes of a tool turn. After a tool batch steering_check stays a step of its own: the results are stored
    /// with the turn before they reach the transcript.
    /// </summary>
    public static bool RunsInline(string from, string next) => (from, next) is (AssistantStreaming, SteeringCheck);

    /// <summary>Spec <c>shouldWakeStep</c>: schedule the next step unless the new state is not stepable or unchanged.</summary>
    public static bool ShouldWake(string previous, string next) => IsStepable(next) && previous != next;
}
