using System.Diagnostics;
using Harness.Approvals;
using Harness.Hosting;
using Harness.Sessions;
using static Harness.Turns.TurnStates;

namespace Harness.Turns;

/// <summary>
/// The tool batch (spec §2.9–2.10): calls run one at a time in assistant order, a pending call does not block its
/// siblings, and every call is checkpointed as <c>triggered</c> before it is invoked and <c>executed</c> after (the
/// last one by the step's own write).
/// </summary>
public sealed partial class TurnGrain
{
    private async Task ExecuteBatchAsync(TurnStateRecord rec, CancellationToken cancellationToken)
    {
        var work = RequireBatch(rec);
        var awaiting = rec.AwaitingApproval ?? [];
        var pending = new List<AwaitingApproval>();
        foreach (var prepared in work.Prepared.ToList())
        {
            var id = prepared.Call.Id;
            if (work.Executed.ContainsKey(id) || awaiting.Any(a => a.FunctionCallId == id))
            {
                continue;
            }
            if (await RunOneCallAsync(work, prepared, skipStart: false, cancellationToken) is { } parked)
            {
                pending.Add(parked);
            }
        }
        if (pending.Count > 0 || awaiting.Count > 0)
        {
            rec.AwaitingApproval = [.. awaiting, .. pending.Where(p => awaiting.All(a => a.FunctionCallId != p.FunctionCallId))];
            await AppendRoundAsync(rec, []);  // a parked turn shows its calls in the transcript while it waits
            TransitionTo(rec, FunctionAwaitingApproval);
            return;
        }
        await FinalizeBatchAsync(rec, work);
    }

    private async Task AwaitApprovalAsync(TurnStateRecord rec, CancellationToken cancellationToken)
    {
        var work = RequireBatch(rec);
        var awaiting = rec.AwaitingApproval ?? throw new TurnStateInvariantException("awaiting_approval missing in function_awaiting_approval");
        ApprovalSettings? settings = null;
        var remaining = new List<AwaitingApproval>();
        foreach (var entry in awaiting)
        {
            if (work.Executed.ContainsKey(entry.FunctionCallId))
            {
                continue;
            }
            var decision = Decisions.GetValueOrDefault(entry.FunctionCallId);
            if (decision is null)
            {
                // Grants made after the call parked release it too.
                settings ??= await GrainFactory.GetGrain<IApprovalSettingsGrain>(SessionId).GetSettings();
                if (GrantAllows(settings, entry.FunctionId))
                {
                    decision = new ApprovalDecision { Decision = ApprovalDecisions.Allow };
                }
            }
            if (decision is null)
            {
                remaining.Add(entry);
                continue;
            }
            var index = work.Prepared.FindIndex(p => p.Call.Id == entry.FunctionCallId);
            var call = index >= 0
                ? work.Prepared[index].Call
                : new FunctionCall { Id = entry.FunctionCallId, FunctionId = entry.FunctionId, Arguments = entry.Args };
            var prepared = decision.Decision == ApprovalDecisions.Allow
                ? new PreparedCall { Route = CallRoutes.PreApproved, Call = call }
                : new PreparedCall { Route = CallRoutes.Synthetic, Call = call, Result = DenialResults.FromDecision(decision) };
            if (index >= 0)
            {
                work.Prepared[index] = prepared;
            }
            await RunOneCallAsync(work, prepared, skipStart: true, cancellationToken);
        }
        rec.AwaitingApproval = remaining;
        if (remaining.Count > 0)
        {
            return;
        }
        if (work.Prepared.All(p => work.Executed.ContainsKey(p.Call.Id)))
        {
            await FinalizeBatchAsync(rec, work);
            return;
        }
        TransitionTo(rec, FunctionExecute);
    }

    private static bool GrantAllows(ApprovalSettings settings, string functionId) =>
        settings.Mode == ApprovalModes.Full
        || settings.ApprovedAlways.Any(g => g.FunctionId == functionId)
        || (settings.Mode == ApprovalModes.Auto && settings.AlwaysAllow.Any(g => g.FunctionId == functionId));

    /// <summary>Runs one call; returns the parked entry when the gate wants a human decision.</summary>
    private async Task<AwaitingApproval?> RunOneCallAsync(TurnWork work, PreparedCall prepared, bool skipStart, CancellationToken cancellationToken)
    {
        var call = prepared.Call;
        if (work.Executed.TryGetValue(call.Id, out var done))
        {
            await EmitEndAsync(done);
            return null;
        }
        if (work.Triggered.Contains(call.Id))
        {
            // Triggered before a crash and never confirmed: the side effect may have happened, so never invoke again.
            await CompleteAsync(work, call, FunctionOutcomes.Interrupted(), isError: true, 0);
            return null;
        }
        if (!skipStart)
        {
            await EmitAsync(new AgentEvent { Type = AgentEventTypes.FunctionExecutionStart, FunctionCallId = call.Id, FunctionId = call.FunctionId, Args = call.Arguments });
        }
        var started = Stopwatch.GetTimestamp();
        FunctionResult result;
        bool isError;
        switch (prepared.Route)
        {
            case CallRoutes.Synthetic:
                result = prepared.Result ?? FunctionOutcomes.Interrupted();
                isError = true;
                break;
            case CallRoutes.PreApproved:
                (result, isError) = await InvokeAsync(work, call, RoutingEnvelope.Wrap(call, SessionId), cancellationToken);
                break;
            case CallRoutes.Dispatch when S.Run?.Functions is { } policy && !policy.Permits(call.FunctionId):
                (result, isError) = (DenialResults.OutsidePolicy(call.FunctionId), true);
                break;
            default:
                var payload = RoutingEnvelope.Wrap(call, SessionId);
                var outcome = await gate.ConsultAsync(call with { Arguments = payload }, cancellationToken);
                if (outcome.Kind == GateOutcomeKind.Pending)
                {
                    return new AwaitingApproval { FunctionCallId = call.Id, FunctionId = call.FunctionId, Args = call.Arguments };
                }
                (result, isError) = outcome.Kind == GateOutcomeKind.Deny
                    ? (outcome.Denial!, true)
                    : await InvokeAsync(work, call, payload, cancellationToken);
                break;
        }
        if (work.Triggered.Contains(call.Id))
        {
            // The function ran (it is still only "triggered"): the after-hook may rewrite its result before it is stored.
            result = await AfterFunctionCallAsync(call, result, cancellationToken);
        }
        await CompleteAsync(work, call, result, isError, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return null;
    }

    private async Task<(FunctionResult Result, bool IsError)> InvokeAsync(TurnWork work, FunctionCall call, JsonElement payload, CancellationToken cancellationToken)
    {
        work.Triggered.Add(call.Id);
        try
        {
            await CheckpointAsync();  // on disk before the side effect can happen: at most once
        }
        catch
        {
            // Not stored, and the function was not called: the retried step may still call it (the soak found approved
            // calls ended "interrupted" that never ran). A write that did land leaves the ETag stale, so the retry
            // reloads and finds the call triggered: still at most once.
            work.Triggered.Remove(call.Id);
            throw;
        }
        faults.At("before_invoke");
        using var activity = HarnessTelemetry.Source.StartActivity($"tool.call {call.FunctionId}");
        activity?.SetTag("harness.function_call_id", call.Id);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var value = await invoker.InvokeAsync(call.FunctionId, payload, cancellationToken);
            faults.At("after_invoke");
            var result = FunctionOutcomes.FromValue(value);
            return (result, result.IsErrorResult);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return (FunctionOutcomes.FromException(call.FunctionId, ex), true);
        }
        finally
        {
            HarnessTelemetry.ToolLatency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("function_id", call.FunctionId));
        }
    }

    private async Task CompleteAsync(TurnWork work, FunctionCall call, FunctionResult result, bool isError, long durationMs)
    {
        var executed = new ExecutedCall { Call = call, Result = result, IsError = isError, DurationMs = durationMs };
        work.Executed[call.Id] = executed;
        work.Triggered.Remove(call.Id);
        if (!work.Prepared.All(p => work.Executed.ContainsKey(p.Call.Id)))
        {
            await CheckpointAsync();
        }
        // Else the batch is complete and the step goes straight on to its own write, which stores this result (and
        // the events below with it): a crash before that write finds the call triggered and ends it interrupted.
        await EmitEndAsync(executed);
    }

    private Task EmitEndAsync(ExecutedCall executed) => EmitAsync(new AgentEvent
    {
        Type = AgentEventTypes.FunctionExecutionEnd,
        FunctionCallId = executed.Call.Id,
        FunctionId = executed.Call.FunctionId,
        Result = executed.Result,
        IsError = executed.IsError,
        DurationMs = executed.DurationMs,
    });

    /// <summary>Spec <c>finalizeBatch</c>: results in assistant order into the transcript, turn_end, then steering_check or stopped.</summary>
    private async Task FinalizeBatchAsync(TurnStateRecord rec, TurnWork work)
    {
        var now = Now;
        var executed = work.Prepared.Select(p => work.Executed[p.Call.Id]).ToList();
        var stops = executed.Count > 0 && executed.All(e => e.Result.Terminate);
        var results = executed.Select(e => new AgentMessage
        {
            Role = Roles.FunctionResult,
            FunctionCallId = e.Call.Id,
            FunctionId = e.Call.FunctionId,
            Content = e.Result.Content,
            Details = e.Result.Details,
            IsError = e.IsError,
            Timestamp = now,
        }).ToList();
        rec.FunctionResults = results;
        if (stops)
        {
            // No steering_check follows to add the results to the transcript: store them with the turn, then add them.
            await CheckpointAsync();
            await AppendRoundAsync(rec, results);
        }
        rec.Work = null;
        rec.AwaitingApproval = null;
        await EmitTurnEndOnceAsync(rec);
        if (stops)
        {
            await FinishAsync(rec);
            return;
        }
        TransitionTo(rec, SteeringCheck);
    }

    /// <summary>
    /// The round's assistant (the one that called the batch) and <paramref name="results"/> into the session tree in
    /// one append, after the turn row stored them (steering_check, a stop, an abort, or before a park): a result reaches
    /// the transcript only once it is the one the turn keeps. Idempotent: the entry ids are deterministic and the
    /// session skips ids it holds.
    /// </summary>
    private Task AppendRoundAsync(TurnStateRecord rec, IReadOnlyList<AgentMessage> results)
    {
        var messages = new List<AgentMessage>();
        var ids = new List<string>();
        if (rec.LastAssistant is { Role: Roles.Assistant } assistant && assistant.FunctionCalls.Any() && rec.TurnCount > 0)
        {
            messages.Add(assistant);
            ids.Add(EntryIds.Assistant(S.RunKey!, rec.TurnCount));
        }
        messages.AddRange(results);
        ids.AddRange(results.Select(r => EntryIds.FunctionResult(r.FunctionCallId!)));
        return messages.Count == 0
            ? Task.CompletedTask
            : Session.AppendBatch(new SessionAppendRequest { SessionId = SessionId, Messages = messages, EntryIds = ids });
    }

    private static TurnWork RequireBatch(TurnStateRecord rec)
    {
        if (rec.LastAssistant is not { Role: Roles.Assistant })
        {
            throw new TurnStateInvariantException("last_assistant missing in a batch state");
        }
        return rec.Work ?? throw new TurnStateInvariantException("work missing in a batch state");
    }
}
