using Harness.Approvals;
using Harness.Events;
using Harness.Messages;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Turns;

/// <summary>A step that throws unexpectedly moves the turn to <c>failed</c> (spec <c>failTransition</c>).</summary>
public sealed class TurnFailureTests : IAsyncLifetime
{
    private HarnessCluster _h = null!;

    public async ValueTask InitializeAsync() =>
        _h = await HarnessCluster.StartAsync(services: s => s.Replace(ServiceDescriptor.Singleton<IApprovalGate, CrashingGate>()));

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Unexpected_step_error_moves_the_turn_to_failed_with_error_kind_and_message()
    {
        var model = _h.Workspace.WriteScript("crash", Rounds(Call("c1", "test::anything")));
        var sid = Runs.NewSession();
        await using var events = await _h.RecordAsync(sid);

        await _h.Turn(sid).Start(Runs.Start(sid, model));

        var final = await _h.WaitForTerminalAsync(sid);
        Assert.Equal(TurnStates.Failed, final.State);
        Assert.Equal("transition_error", final.Error!.Kind);
        Assert.Equal("from function_execute: gate exploded", final.Error.Message);
        var complete = await events.WaitForAsync(e => e.Type == AgentEventTypes.MessageComplete && e.Message!.StopReason == StopReasons.Error);
        Assert.Equal("from function_execute: gate exploded", complete.Message!.Text);
        await events.WaitForAsync(e => e.Type == AgentEventTypes.AgentEnd);
    }

    /// <summary>A gate whose backing service is broken in a way it does not handle itself.</summary>
    private sealed class CrashingGate : IApprovalGate
    {
        public Task<GateOutcome> ConsultAsync(FunctionCall call, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("gate exploded");
    }
}
