using System.Text.Json.Nodes;
using Harness.Hosting;
using Harness.Sessions;
using Harness.Turns;
using Harness.Validation;
using Microsoft.Extensions.Options;

namespace Harness.ConsoleTurns;

/// <inheritdoc cref="IConsoleTurnsGrain"/>
/// <remarks>
/// Its live updates (<c>harness::turn-started</c>, <c>turn-completed</c>, <c>message-queued</c>) go through a stored
/// outbox (<see cref="ConsoleTurnsState.Outbox"/>): each is written with the fact it announces, then delivered in order
/// by one loop on the activation, retried until the bridge took it. What was delivered is stored with the next write
/// (no write of its own), so a silo kill re-delivers at most what it had not yet stored: at least once, in order. A
/// reminder is held while the outbox is not empty, so an idle session's last updates still go out after a kill.
/// Nothing is queued for a type nobody bound (<see cref="IConsoleTriggerPublisher.HasTargets"/>).
/// </remarks>
[GrainType("c4-turns")]
public sealed class ConsoleTurnsGrain(
    [PersistentState("c4-turns", HarnessStorage.Name)] IPersistentState<ConsoleTurnsState> state,
    IConsoleTriggerPublisher triggers,
    IOptions<TurnOptions> turnOptions,
    TimeProvider time,
    ILogger<ConsoleTurnsGrain> logger) : Grain, IConsoleTurnsGrain, IRemindable
{
    private const string OutboxReminder = "c4-outbox";
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private long _delivered;
    private bool _draining;
    private bool? _reminderRegistered;
    public const int MaxKeys = 256;
    public const int MaxTurns = 500;

    private ConsoleTurnsState S => state.State;

    private string SessionId => this.GetPrimaryKeyString();

    private ITurnGrain Turn => GrainFactory.GetGrain<ITurnGrain>(SessionId);

    private ISessionGrain Session => GrainFactory.GetGrain<ISessionGrain>(SessionId);

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private ConsoleTurnRecord? Current => S.Turns.Count > 0 ? S.Turns[^1] : null;

    public async Task<ConsoleSendResult> Send(ConsoleSendCommand command)
    {
        if (command.IdempotencyKey is { Length: > 0 } key && S.Sends.TryGetValue(key, out var earlier))
        {
            return earlier with { Deduplicated = true };
        }
        var view = await Turn.GetState();
        var result = view is null || TurnStates.IsTerminal(view.State)
            ? await StartOrQueueAsync(command)
            : await QueueAsync(command, view.State);
        if (command.IdempotencyKey is { Length: > 0 } newKey)
        {
            S.Sends[newKey] = result;
            S.SendOrder.Add(newKey);
            while (S.SendOrder.Count > MaxKeys)
            {
                S.Sends.Remove(S.SendOrder[0]);
                S.SendOrder.RemoveAt(0);
            }
        }
        await WriteAsync();
        return result;
    }

    private async Task<ConsoleSendResult> StartOrQueueAsync(ConsoleSendCommand command)
    {
        var run = await InheritAsync(command.Run);
        var turnId = NewTurnId();
        S.PendingTurnId = turnId;
        S.StopRequested = false;
        var started = await Turn.Start(run with { Messages = [command.Message] });
        if (started.Started)
        {
            return new ConsoleSendResult { SessionId = SessionId, TurnId = turnId, Accepted = true };
        }
        S.PendingTurnId = null;
        var view = await Turn.GetState();
        return await QueueAsync(command, view?.State ?? TurnStates.Provisioning);
    }

    /// <summary>The message waits in the steering inbox; if the run ended meanwhile it starts the next run instead.</summary>
    private async Task<ConsoleSendResult> QueueAsync(ConsoleSendCommand command, string turnState)
    {
        var entryId = $"q-{Guid.NewGuid():N}";
        var at = Now;
        await Session.QueueInboxEntry(InboxNames.Steering, entryId, command.Message, at);
        var after = await Turn.GetState();
        if (after is not null && !TurnStates.IsTerminal(after.State))
        {
            // That view was stored before the step now running: a last steering_check (a step of its own, or run
            // inside assistant_streaming) that drained the inbox just before the write above stops the run, and the
            // message would stay queued with nothing left to drain it.
            after = await Turn.GetStateAfterStep();
        }
        if (after is null || TurnStates.IsTerminal(after.State))
        {
            // The last steering check already ran: nothing will drain it, so take it back and start a run with it.
            if (await Session.RemoveInboxEntry(InboxNames.Steering, entryId))
            {
                return await StartOrQueueAsync(command);
            }
        }
        var turnId = S.PendingTurnId ?? Current?.TurnId ?? NewTurnId();
        var streaming = turnState is TurnStates.AssistantStreaming or TurnStates.Provisioning;
        Enqueue(ConsoleTriggerTypes.MessageQueued, new JsonObject
        {
            ["session_id"] = SessionId,
            ["turn_id"] = turnId,
            ["entry_id"] = entryId,
            ["queued_at"] = at,
        });
        return new ConsoleSendResult
        {
            SessionId = SessionId, TurnId = turnId, Accepted = true, EntryId = entryId,
            Queued = streaming ? true : null, Merged = streaming ? null : true,
        };
    }

    /// <summary>
    /// Model, provider and function policy left out continue the session's last run (a new session must name a model;
    /// without a policy it is unrestricted, as a <c>run::start</c> run).
    /// </summary>
    private async Task<RunStartRequest> InheritAsync(RunStartRequest run)
    {
        var last = await Turn.GetRunRequest();
        run = run with { Functions = run.Functions ?? last?.Functions };
        if (run.Model is { Length: > 0 } && run.Provider is not null)
        {
            return run;
        }
        var model = run.Model is { Length: > 0 } m ? m : last?.Model;
        if (string.IsNullOrEmpty(model))
        {
            throw new PayloadValidationException("model", "is required to start a new session (later sends may omit it)");
        }
        // A named model keeps the last provider only when it is the last model; otherwise it routes by model.
        var provider = run.Provider ?? (last is not null && last.Model == model ? last.Provider : "");
        return run with { Model = model, Provider = provider };
    }

    public async Task<bool> Stop(string? turnId)
    {
        var view = await Turn.GetState();
        if (view is null || TurnStates.IsTerminal(view.State) || (turnId is { Length: > 0 } && Current?.TurnId != turnId && S.PendingTurnId != turnId))
        {
            return false;
        }
        S.StopRequested = true;
        await WriteAsync();
        var aborted = await Turn.Abort();
        return aborted.Aborted;
    }

    public async Task<ConsoleStatusReport?> Status()
    {
        var view = await Turn.GetState();
        if (view is null && S.Turns.Count == 0)
        {
            return null;
        }
        var queued = await Session.InboxEntries(InboxNames.Steering);
        return new ConsoleStatusReport
        {
            SessionId = SessionId,
            TurnId = S.PendingTurnId ?? Current?.TurnId,
            Status = StatusOf(view),
            Queued = [.. queued.Select(q => new ConsoleQueuedMessage { Id = q.EntryId, EntryId = q.EntryId, SessionId = SessionId, Message = q.Message, QueuedAt = q.QueuedAt })],
            PendingFunctionCalls = [.. (view?.AwaitingApproval ?? []).Select(a => a.FunctionCallId)],
            TurnCount = view?.TurnCount ?? 0,
            MaxTurns = view?.MaxTurns ?? 0,
            Step = view?.TurnCount ?? 0,
            ResultError = view?.State == TurnStates.Failed ? view.Error?.Message : null,
            Turns = [.. S.Turns],
        };
    }

    private string StatusOf(TurnStateView? view) => view?.State switch
    {
        null => Current?.Status ?? ConsoleTurnStatuses.Completed,
        TurnStates.FunctionAwaitingApproval => ConsoleTurnStatuses.AwaitingFunctions,
        TurnStates.Stopped => Current is { EndedAt: not null } done ? done.Status : ConsoleTurnStatuses.Completed,
        TurnStates.Failed => ConsoleTurnStatuses.Failed,
        _ => ConsoleTurnStatuses.Running,
    };

    public Task<bool> Unqueue(string entryId) => Session.RemoveInboxEntry(InboxNames.Steering, entryId);

    public Task<bool> EditQueued(string entryId, AgentMessage message) => Session.ReplaceInboxEntry(InboxNames.Steering, entryId, message);

    public async Task<string> TurnStarted(long at)
    {
        if (Current is { EndedAt: null } open && S.PendingTurnId is null)
        {
            return open.TurnId;  // a redelivered start event
        }
        var turnId = S.PendingTurnId ?? NewTurnId();
        S.PendingTurnId = null;
        S.Turns.Add(new ConsoleTurnRecord { TurnId = turnId, Status = ConsoleTurnStatuses.Running, StartedAt = at });
        if (S.Turns.Count > MaxTurns)
        {
            S.Turns.RemoveAt(0);
        }
        Enqueue(ConsoleTriggerTypes.TurnStarted, new JsonObject { ["session_id"] = SessionId, ["turn_id"] = turnId, ["timestamp"] = at });
        await WriteAsync();
        return turnId;
    }

    public async Task<ConsoleTurnRecord?> TurnEnded(string terminalState, bool aborted, string? error, long at)
    {
        if (Current is not { EndedAt: null } open)
        {
            return Current;  // already closed (a redelivered end event)
        }
        var status = terminalState == TurnStates.Failed ? ConsoleTurnStatuses.Failed
            : aborted || S.StopRequested ? ConsoleTurnStatuses.Cancelled
            : ConsoleTurnStatuses.Completed;
        var closed = open with
        {
            Status = status,
            EndedAt = at,
            Reason = status == ConsoleTurnStatuses.Failed ? error : status == ConsoleTurnStatuses.Cancelled ? "stopped" : null,
        };
        S.Turns[^1] = closed;
        S.StopRequested = false;
        var completed = new JsonObject { ["session_id"] = SessionId, ["turn_id"] = closed.TurnId, ["status"] = status, ["timestamp"] = at };
        if (closed.Reason is { } reason)
        {
            completed["reason"] = reason;
        }
        if (status == ConsoleTurnStatuses.Failed)
        {
            completed["result_error"] = error ?? "failed";
        }
        Enqueue(ConsoleTriggerTypes.TurnCompleted, completed);
        await WriteAsync();
        return closed;
    }

    public Task<string?> CurrentTurnId() => Task.FromResult(S.PendingTurnId ?? Current?.TurnId);

    private static string NewTurnId() => $"turn-{Guid.NewGuid():N}";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _delivered = S.Outbox.Count > 0 ? S.Outbox[0].Seq - 1 : S.OutboxSeq;
        KickDrain();  // what a killed silo left undelivered
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != OutboxReminder)
        {
            return;
        }
        if (S.Outbox.Any(e => e.Seq > _delivered))
        {
            KickDrain();
            return;
        }
        if (S.Outbox.Count > 0)
        {
            await WriteAsync();  // store what was delivered
        }
        if (await this.GetReminder(OutboxReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        _reminderRegistered = false;
    }

    /// <summary>Queues a delivery; it is stored by the caller's write (and only then sent).</summary>
    private void Enqueue(string triggerType, JsonObject payload)
    {
        if (!triggers.HasTargets(triggerType, SessionId))
        {
            return;
        }
        S.OutboxSeq++;
        S.Outbox.Add(new ConsoleOutboxEntry { Seq = S.OutboxSeq, Type = triggerType, PayloadJson = payload.ToJsonString() });
    }

    /// <summary>Every write: drops what was delivered, stores the rest, holds the reminder while any is left, then sends.</summary>
    private async Task WriteAsync()
    {
        S.Outbox.RemoveAll(e => e.Seq <= _delivered);
        await state.WriteStateAsync();
        if (S.Outbox.Count > 0 && _reminderRegistered != true)
        {
            var period = turnOptions.Value.WakeReminderPeriod;
            await this.RegisterOrUpdateReminder(OutboxReminder, period, period);
            _reminderRegistered = true;
        }
        KickDrain();
    }

    private void KickDrain()
    {
        if (!_draining && S.Outbox.Any(e => e.Seq > _delivered))
        {
            _draining = true;
            _ = DrainAsync();  // runs on this activation, interleaved with its calls; one loop keeps the order
        }
    }

    private async Task DrainAsync()
    {
        try
        {
            var delay = TimeSpan.FromMilliseconds(100);
            while (S.Outbox.FirstOrDefault(e => e.Seq > _delivered) is { } next)
            {
                try
                {
                    await triggers.DeliverAsync(next.Type, SessionId, JsonNode.Parse(next.PayloadJson)!);
                    _delivered = next.Seq;
                    delay = TimeSpan.FromMilliseconds(100);
                }
                catch (Exception ex)
                {
                    logger.LogDebug("C4 outbox of {SessionId}: {Type} not delivered, retrying: {Reason}", SessionId, next.Type, ex.Message);
                    await Task.Delay(delay);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
                }
            }
        }
        finally
        {
            _draining = false;
        }
    }
}
