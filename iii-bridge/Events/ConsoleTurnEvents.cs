using Harness.Serialization;
using System.Collections.Concurrent;
using Harness.Approvals;
using Harness.ConsoleTurns;
using Harness.Events;
using Harness.Messages;
using Harness.Turns;

namespace Harness.Bridge.Events;

/// <summary>
/// Agent events → the C4 turn and approval triggers, on the silo that runs the turn: a run entering
/// <c>provisioning</c> fires <c>harness::turn-started</c>, a run ending fires <c>harness::turn-completed</c>
/// (<c>TurnCompletedEvent</c>, console-and-data §1.6), a call newly parked for approval fires
/// <c>approval::pending-created</c>, and calls still parked when the run ends fire <c>approval::pending-resolved</c>
/// with outcome <c>aborted</c>. Turn ids come from the session's <see cref="IConsoleTurnsGrain"/>, which also sends the two
/// turn events itself from a stored outbox (they survive a silo kill); all of it runs in the session's delivery order
/// (<see cref="ConsoleTriggerFanout.Enqueue"/>), never on the turn's path.
/// </summary>
public sealed class ConsoleTurnEvents(ConsoleTriggerFanout fanout, IGrainFactory grains, TimeProvider time) : IAgentEventSink
{
    public static readonly TimeSpan ApprovalExpiry = TimeSpan.FromHours(24);
    private const int ExcerptLength = 200;

    private readonly ConcurrentDictionary<string, bool> _aborted = new(StringComparer.Ordinal);

    public ValueTask PublishAsync(AgentEventFrame frame, CancellationToken cancellationToken)
    {
        var evt = frame.Event;
        var sid = frame.SessionId;
        if (evt.Type == AgentEventTypes.MessageComplete && evt.Message is { Role: Roles.Assistant, StopReason: StopReasons.Aborted })
        {
            _aborted[sid] = true;
        }
        if (evt.Type != AgentEventTypes.TurnStateChanged || evt.NewValue is not { } now)
        {
            return ValueTask.CompletedTask;
        }
        var before = evt.OldValue;
        var at = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now.State == TurnStates.Provisioning && (before is null || TurnStates.IsTerminal(before.State)))
        {
            _aborted.TryRemove(sid, out _);
            fanout.Enqueue(sid, () => StartedAsync(sid, at));
        }
        if (now.State == TurnStates.FunctionAwaitingApproval)
        {
            var known = before?.State == TurnStates.FunctionAwaitingApproval ? (before.AwaitingApproval ?? []).Select(a => a.FunctionCallId).ToHashSet() : [];
            var added = (now.AwaitingApproval ?? []).Where(a => !known.Contains(a.FunctionCallId)).ToList();
            if (added.Count > 0)
            {
                fanout.Enqueue(sid, () => PendingAsync(sid, added, at));
            }
        }
        if (TurnStates.IsTerminal(now.State) && before is not null && !TurnStates.IsTerminal(before.State))
        {
            var parked = before.State == TurnStates.FunctionAwaitingApproval ? before.AwaitingApproval ?? [] : [];
            var aborted = _aborted.TryRemove(sid, out _);
            fanout.Enqueue(sid, () => EndedAsync(sid, now, aborted, parked, at));
        }
        return ValueTask.CompletedTask;
    }

    private IConsoleTurnsGrain Turns(string sid) => grains.GetGrain<IConsoleTurnsGrain>(sid);

    private IPendingApprovalsGrain Pending => grains.GetGrain<IPendingApprovalsGrain>(IPendingApprovalsGrain.Key);

    private async Task StartedAsync(string sid, long at)
    {
        await Turns(sid).TurnStarted(at);  // the session's grain announces it (stored outbox)
    }

    private async Task PendingAsync(string sid, IReadOnlyList<AwaitingApproval> added, long at)
    {
        var turnId = await Turns(sid).CurrentTurnId() ?? "";
        foreach (var call in added)
        {
            var record = new PendingApprovalRecord
            {
                FunctionCallId = call.FunctionCallId,
                FunctionId = call.FunctionId,
                SessionId = sid,
                TurnId = turnId,
                ArgumentsExcerpt = Excerpt(call.Args),
                PendingAt = at,
                ExpiresAt = at + (long)ApprovalExpiry.TotalMilliseconds,
            };
            await Pending.Add(record);
            fanout.Publish(ConsoleTriggerTypes.PendingCreated, sid, JsonSerializer.SerializeToNode(record, WireJson.Options)!);
        }
    }

    private async Task EndedAsync(string sid, TurnStateView now, bool aborted, IReadOnlyList<AwaitingApproval> parked, long at)
    {
        // Parked calls resolve as aborted before the turn is announced completed (by the session's grain, stored outbox).
        var turnId = await Turns(sid).CurrentTurnId() ?? "";
        foreach (var call in parked)
        {
            if (await Pending.Remove(sid, call.FunctionCallId) is not null)
            {
                fanout.Publish(ConsoleTriggerTypes.PendingResolved, sid, ConsoleApprovalEvents.Resolved(sid, turnId, call.FunctionCallId, call.FunctionId, ApprovalDecisions.Aborted, "the turn ended", at));
            }
        }
        await Turns(sid).TurnEnded(now.State, aborted, now.Error?.Message, at);
    }

    private static string? Excerpt(JsonElement args)
    {
        if (args.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }
        var text = args.GetRawText();
        return text.Length <= ExcerptLength ? text : text[..ExcerptLength] + "…";
    }
}
