using System.Collections.Concurrent;
using Harness.Events;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Cluster;

/// <summary>
/// Events across a silo kill, seen where they are published (the <see cref="IAgentEventSink"/> path the iii bridge
/// uses): the survivor continues the sequence to <c>agent_end</c> and the final <c>stopped</c>; no sequence number is skipped.
/// </summary>
public sealed class FailoverEventTests
{
    [Fact]
    public async Task Events_published_across_a_silo_kill_continue_the_sequence_without_gaps()
    {
        var sink = new RecordingSink();
        await using var h = await HarnessCluster.StartAsync(silos: 2, services: s => s.AddSingleton<IAgentEventSink>(sink));
        h.Tools.Register("test::after", (_, _) => Task.FromResult(WireJson.Parse("1")));
        var model = h.Workspace.WriteScript("kill", Rounds($$"""{{Text("thinking")}},{"type":"delay","ms":3000},{{Call("k1", "test::after")}}""", Text("done")));
        var sid = Runs.NewSession();
        var turn = h.Turn(sid);
        await turn.Start(Runs.Start(sid, model));
        await h.WaitForStateAsync(sid, v => v.State == TurnStates.AssistantStreaming);
        var host = await h.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(turn);
        var victim = h.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));

        await h.Cluster.KillSiloAsync(victim);

        var final = await h.WaitForStateAsync(sid, v => v.State == TurnStates.Stopped, seconds: 90);
        Assert.Null(final.Error);
        // Events are emitted after the step that produced them is stored: the final one may trail the stored state.
        var settle = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < settle && !sink.Frames.Any(f => f.SessionId == sid && f.Event.NewValue?.State == TurnStates.Stopped))
        {
            await Task.Delay(50);
        }
        var frames = sink.Frames.Where(f => f.SessionId == sid).ToList();
        var last = frames.MaxBy(f => f.Seq)!.Event;
        Assert.Equal((AgentEventTypes.TurnStateChanged, TurnStates.Stopped), (last.Type, last.NewValue?.State));
        Assert.Contains(frames, f => f.Event.Type == AgentEventTypes.AgentEnd);
        var seqs = frames.Select(f => f.Seq).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        Assert.Single(frames, f => f.Event.Type == AgentEventTypes.FunctionExecutionEnd);
        // The survivor's activation announced the resume (a state event with no old value, after the first one).
        Assert.Contains(frames, f => f.Seq > 1 && f.Event.Type == AgentEventTypes.TurnStateChanged && f.Event.OldValue is null);
    }

    private sealed class RecordingSink : IAgentEventSink
    {
        private readonly ConcurrentQueue<AgentEventFrame> _frames = new();

        public IReadOnlyList<AgentEventFrame> Frames => [.. _frames];

        public ValueTask PublishAsync(AgentEventFrame frame, CancellationToken cancellationToken)
        {
            _frames.Enqueue(frame);
            return ValueTask.CompletedTask;
        }
    }
}
