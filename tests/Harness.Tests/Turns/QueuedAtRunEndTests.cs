using Harness.ConsoleTurns;
using Harness.Events;
using Harness.Messages;
using Harness.Sessions;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Microsoft.Extensions.DependencyInjection;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Turns;

/// <summary>
/// A console send that arrives while a run's last steering_check is finishing (the inbox already drained, the stop not
/// yet stored): the message must start the next run, not wait in the inbox for a check that never comes.
/// </summary>
public sealed class QueuedAtRunEndTests : IAsyncLifetime
{
    private readonly HoldAgentEnd _hold = new();
    private HarnessCluster _h = null!;

    public async ValueTask InitializeAsync() => _h = await HarnessCluster.StartAsync(services: s => s.AddSingleton<IAgentEventSink>(_hold));

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_message_sent_after_the_last_steering_check_drained_the_inbox_starts_the_next_run()
    {
        var model = _h.Workspace.WriteScript("queued-at-end", Rounds(Text("first"), Text("second")));
        var sid = Runs.NewSession();
        _hold.Session = sid;
        var turns = _h.Grains.GetGrain<IConsoleTurnsGrain>(sid);
        var session = _h.Grains.GetGrain<ISessionGrain>(sid);
        await turns.Send(new ConsoleSendCommand { Message = AgentMessage.User("go", 1), Run = Runs.Start(sid, model) with { Messages = null } });
        // The run's last steering_check found the inbox empty and is storing the stop: its agent_end is held here.
        await _hold.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var send = turns.Send(new ConsoleSendCommand { Message = AgentMessage.User("later", 2), Run = new RunStartRequest { SessionId = sid } });
        for (var tries = 0; tries < 400 && !send.IsCompleted && await session.InboxCount(InboxNames.Steering) == 0; tries++)
        {
            await Task.Delay(50);
        }
        _hold.Release.SetResult();
        var result = await send;

        Assert.True(result.Accepted);
        Assert.Null(result.EntryId);  // started, not queued
        await _h.WaitForStateAsync(sid, v => v.State == TurnStates.Stopped && v.TurnCount > 0 && _hold.Ended >= 2, seconds: 30);
        Assert.Equal(["go", "first", "later", "second"], (await session.Messages()).Messages.Select(m => m.Text));
        Assert.Equal(0, await session.InboxCount(InboxNames.Steering));
    }

    /// <summary>Holds the first <c>agent_end</c> of one session (sent inside the step's last write) until released.</summary>
    private sealed class HoldAgentEnd : IAgentEventSink
    {
        private int _ended;

        public string? Session { get; set; }

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Ended => Volatile.Read(ref _ended);

        public async ValueTask PublishAsync(AgentEventFrame frame, CancellationToken cancellationToken)
        {
            if (frame.SessionId != Session || frame.Event.Type != AgentEventTypes.AgentEnd)
            {
                return;
            }
            if (Interlocked.Increment(ref _ended) == 1)
            {
                Entered.TrySetResult();
                await Release.Task.WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
            }
        }
    }
}
