namespace Harness.Turns;

/// <summary>The seven states of the turn FSM (spec §2.5). Terminal: stopped, failed.</summary>
public static class TurnStates
{
    public const string Provisioning = "provisioning";
    public const string AssistantStreaming = "assistant_streaming";
    public const string FunctionExecute = "function_execute";
    public const string FunctionAwaitingApproval = "function_awaiting_approval";
    public const string SteeringCheck = "steering_check";
    public const string Stopped = "stopped";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All =
        [Provisioning, AssistantStreaming, FunctionExecute, FunctionAwaitingApproval, SteeringCheck, Stopped, Failed];

    public static bool IsKnown(string? state) => state is not null && All.Contains(state);

    public static bool IsTerminal(string state) => state is Stopped or Failed;

    /// <summary>States that are never woken automatically (spec <c>NON_STEPABLE_STATES</c>).</summary>
    public static bool IsStepable(string state) => !IsTerminal(state) && state != FunctionAwaitingApproval;
}
