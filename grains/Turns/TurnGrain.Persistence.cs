using Harness.Hosting;
using Orleans.Storage;
using static Harness.Turns.TurnStates;

namespace Harness.Turns;

/// <summary>Persistence and the durable wake-up of the turn grain.</summary>
public sealed partial class TurnGrain
{
    /// <summary>Persists the record, emits <c>turn_state_changed</c> when the view changed and wakes the next step.</summary>
    private async Task SaveAsync(TurnStateView? previousView, string previousState)
    {
        var rec = S.Record!;
        var view = await AnnounceAsync(previousView, previousState);
        await PersistAsync();
        _savedView = view;
        if (_passedState is { } passed)
        {
            faults.At($"after_save:{passed}");
            _passedState = null;
        }
        faults.At($"after_save:{rec.State}");
        try
        {
            await SyncReminderAsync(rec);
        }
        finally
        {
            // Scheduled even when the reminder could not be registered (PostgreSQL restarting): the state is stored,
            // and without the step nothing would wake the turn (the soak found runs stuck in provisioning). The next
            // save registers the reminder again.
            // A parked turn whose decision arrived while the step ran is woken as well.
            if (TurnTransitions.ShouldWake(previousState, rec.State) || (rec.State == FunctionAwaitingApproval && NeedsWake(rec)))
            {
                ScheduleStep(rec.State, TimeSpan.Zero);
            }
        }
    }

    /// <summary>
    /// Checks the move against the table and emits <c>turn_state_changed</c> for the record's current state, stored by
    /// the next write (also for a state passed through within one write, <see cref="TurnTransitions.RunsInline"/>).
    /// </summary>
    private async Task<TurnStateView> AnnounceAsync(TurnStateView? previousView, string previousState)
    {
        var rec = S.Record!;
        if (previousState.Length > 0 && previousState != rec.State && !IsTerminal(previousState)
            && !TurnTransitions.IsAllowed(previousState, rec.State))
        {
            throw new InvalidOperationException($"illegal turn transition {previousState} -> {rec.State}");
        }
        var view = rec.ToView();
        if (!view.SameAs(previousView))
        {
            // Stored by the write that stores the state it announces, sent after it.
            await EmitAsync(new AgentEvent
            {
                Type = AgentEventTypes.TurnStateChanged,
                EventType = previousView is null ? "state:created" : "state:updated",
                NewValue = view,
                OldValue = previousView,
            });
        }
        return view;
    }

    /// <summary>
    /// Runs the step of the record's (announced) state inside the one before it, <see cref="TurnTransitions.RunsInline"/>;
    /// the caller's write stores its outcome.
    /// </summary>
    private async Task RunInlineAsync(TurnStateRecord rec, CancellationToken cancellationToken)
    {
        var state = rec.State;
        _passedState = state;
        using var activity = HarnessTelemetry.Source.StartActivity($"turn.step {state}", System.Diagnostics.ActivityKind.Internal, S.TraceParent);
        activity?.SetTag("harness.session_id", SessionId);
        activity?.SetTag("harness.turn_count", rec.TurnCount);
        activity?.SetTag("harness.inline", true);
        await Handlers[state](this, rec, cancellationToken);
        faults.At($"inline:{state}");  // done, not yet stored: a crash here re-runs both steps from the stored state
        HarnessTelemetry.Steps.Add(1, new("state", state), new("outcome", "ok"));
        activity?.SetTag("harness.to_state", rec.State);
    }

    private Task CheckpointAsync()
    {
        _checkpointed = true;
        return PersistAsync();
    }

    /// <summary>
    /// All writes go through one gate: interleaved calls (Start) must not race a step's write on the ETag. The events
    /// numbered so far go out once the write has stored them.
    /// </summary>
    private async Task PersistAsync()
    {
        await _writeGate.WaitAsync();
        try
        {
            S.SentSeq = _sentSeq;
            await state.WriteStateAsync();
            await SendOutgoingAsync();
        }
        catch
        {
            // Memory now holds changes storage does not: reload from storage on the next call rather than act on them.
            DeactivateOnIdle();
            throw;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Keeps the durable wake-up registered while the turn needs one. A turn that stops or parks keeps it until its
    /// next tick (<paramref name="release"/>, from <see cref="ReceiveReminder"/>): a session that runs again within
    /// one period reuses the row instead of deleting and re-inserting it, and ending a turn costs no reminder write.
    /// </summary>
    private async Task SyncReminderAsync(TurnStateRecord? rec, bool release = false)
    {
        var needed = rec is not null && NeedsWake(rec);
        if (needed && _reminderRegistered != true)
        {
            await this.RegisterOrUpdateReminder(WakeReminder, Options.WakeReminderPeriod, Options.WakeReminderPeriod);
            _reminderRegistered = true;
        }
        else if (!needed && release && _reminderRegistered != false)
        {
            if (await this.GetReminder(WakeReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
            _reminderRegistered = false;
        }
    }

    private void TransitionTo(TurnStateRecord rec, string next)
    {
        rec.State = next;
        rec.UpdatedAtMs = Now;
    }

    private async Task EmitTurnEndOnceAsync(TurnStateRecord rec)
    {
        if (rec.TurnEndEmitted)
        {
            return;
        }
        rec.TurnEndEmitted = true;
        await EmitAsync(new AgentEvent { Type = AgentEventTypes.TurnEnd, Message = rec.LastAssistant, FunctionResults = [.. rec.FunctionResults] });
    }

    /// <summary>Spec <c>finishSession</c>: <c>agent_end</c>, then <c>stopped</c> (persisted by the caller).</summary>
    private async Task FinishAsync(TurnStateRecord rec)
    {
        _pastInboxCheck = true;
        await EmitAsync(new AgentEvent { Type = AgentEventTypes.AgentEnd, Messages = [] });
        TransitionTo(rec, Stopped);
    }
}
