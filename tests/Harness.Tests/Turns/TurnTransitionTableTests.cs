using Harness.Turns;
using static Harness.Turns.TurnStates;

namespace Harness.Tests.Turns;

public sealed class TurnTransitionTableTests
{
    [Fact]
    public void There_are_exactly_the_seven_spec_states()
    {
        Assert.Equal(
            ["provisioning", "assistant_streaming", "function_execute", "function_awaiting_approval", "steering_check", "stopped", "failed"],
            All);
    }

    [Theory]
    [InlineData(Provisioning, AssistantStreaming)]
    [InlineData(AssistantStreaming, FunctionExecute)]
    [InlineData(AssistantStreaming, SteeringCheck)]
    [InlineData(AssistantStreaming, Stopped)]
    [InlineData(FunctionExecute, FunctionAwaitingApproval)]
    [InlineData(FunctionExecute, SteeringCheck)]
    [InlineData(FunctionExecute, Stopped)]
    [InlineData(FunctionAwaitingApproval, FunctionAwaitingApproval)]
    [InlineData(FunctionAwaitingApproval, FunctionExecute)]
    [InlineData(FunctionAwaitingApproval, SteeringCheck)]
    [InlineData(FunctionAwaitingApproval, Stopped)]
    [InlineData(SteeringCheck, AssistantStreaming)]
    [InlineData(SteeringCheck, Stopped)]
    public void Spec_transitions_are_in_the_table(string from, string to) => Assert.True(TurnTransitions.IsAllowed(from, to));

    [Theory]
    [InlineData(Provisioning, FunctionExecute)]
    [InlineData(SteeringCheck, FunctionExecute)]
    [InlineData(Stopped, AssistantStreaming)]
    [InlineData(Failed, Stopped)]
    [InlineData(FunctionExecute, AssistantStreaming)]
    public void Other_moves_are_not(string from, string to) => Assert.False(TurnTransitions.IsAllowed(from, to));

    [Fact]
    public void Every_live_state_can_fail_and_terminal_states_go_nowhere()
    {
        Assert.All(All.Where(s => !IsTerminal(s)), s => Assert.True(TurnTransitions.IsAllowed(s, Failed)));
        Assert.DoesNotContain(TurnTransitions.Table, t => IsTerminal(t.From));
    }

    [Theory]
    [InlineData(Provisioning, AssistantStreaming, true)]
    [InlineData(AssistantStreaming, FunctionExecute, true)]
    [InlineData(FunctionExecute, FunctionExecute, false)]
    [InlineData(FunctionExecute, FunctionAwaitingApproval, false)]
    [InlineData(SteeringCheck, Stopped, false)]
    [InlineData(AssistantStreaming, Failed, false)]
    [InlineData("", Provisioning, true)]
    public void Should_wake_follows_the_spec(string previous, string next, bool wake) =>
        Assert.Equal(wake, TurnTransitions.ShouldWake(previous, next));
}
