using Harness.Approvals;
using Harness.Compaction;
using Harness.Events;
using Harness.Functions;
using Harness.Hosting;
using Harness.Providers;
using Harness.Sessions;
using Harness.Validation;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Storage;
using static Harness.Turns.TurnStates;

namespace Harness.Turns;

/// <summary>
/// The turn FSM of one session. Steps run serially (non-reentrant grain); each step persists before the next is
/// scheduled on a grain timer, and an Orleans reminder is the durable wake-up of an in-flight turn.
/// </summary>
[GrainType("turn")]
public sealed partial class TurnGrain(
    [PersistentState("turn", HarnessStorage.Name)] IPersistentState<TurnGrainState> state,
    [PersistentState("turn-approvals", HarnessStorage.Name)] IPersistentState<TurnApprovalsState> approvals,
    IProviderRegistry providers,
    IFunctionInvoker invoker,
    IApprovalGate gate,
    IEnumerable<IAgentEventSink> sinks,
    IFaultInjector faults,
    ContextCompactor compactor,
    Harness.Budgets.UsagePricing pricing,
    IOptions<TurnOptions> options,
    TimeProvider time,
    ILogger<TurnGrain> logger) : Grain, ITurnGrain, ITurnControlGrain, IRemindable
{
    private const string WakeReminder = "turn-wake";

    private readonly IAgentEventSink[] _sinks = [.. sinks];
    private IGrainTimer? _stepTimer;
    private CancellationTokenSource? _stepCts;
    private TurnStateView? _savedView;
    private bool? _reminderRegistered;
    private bool _running;
    private bool _abortRequested;
    private bool _checkpointed;
    private bool _announceResume;
    private bool _starting;

    /// <summary>The running step has looked at the inbox (or is ending the run): a message queued now may be missed by it.</summary>
    private bool _pastInboxCheck;

    /// <summary>The state a step run inline passed through since the last write (at most one), for the fault points.</summary>
    private string? _passedState;
    private TaskCompletionSource? _stepFinished;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SemaphoreSlim _approvalsGate = new(1, 1);

    private TurnGrainState S => state.State;

    private Dictionary<string, ApprovalDecision> Decisions => approvals.State.Decisions;

    private TurnOptions Options => options.Value;

    private string SessionId => this.GetPrimaryKeyString();

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private ISessionGrain Session => GrainFactory.GetGrain<ISessionGrain>(SessionId);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _storedSeq = S.EventSeq;
        _sentSeq = S.SentSeq;
        _savedView = S.Record?.ToView();
        if (S.Record is { } rec && NeedsWake(rec))
        {
            // A silo died mid-turn (or the reminder re-activated us): resume where the last persisted step left off.
            LogResuming(SessionId, rec.State);
            _announceResume = true;
            ScheduleStep(rec.State, TimeSpan.Zero);
        }
        return Task.CompletedTask;
    }

    public async Task<RunStartResult> Start(RunStartRequest request)
    {
        request.Validate();
        if (request.SessionId != SessionId)
        {
            throw new PayloadValidationException("session_id", "does not match the addressed session");
        }
        // Start interleaves so a busy reply never waits behind a long step; the flag makes check-and-claim atomic.
        if (_running && _stepFinished is { } finishing && S.Record is { } ended && IsTerminal(ended.State))
        {
            // The step that ended the run is still finishing (events, bookkeeping): let it finish instead of refusing.
            await finishing.Task;
        }
        if (_starting || _running || (S.Record is { } current && !IsTerminal(current.State)))
        {
            return new RunStartResult { SessionId = SessionId, Started = false, Reason = RunStartResult.SessionBusy };
        }
        if (request.MessageId is { Length: > 0 } messageId && S.Run?.MessageId == messageId)
        {
            // A client (or a retry filter) repeating a start whose answer it lost, after that message's run ended:
            // starting it again would run its tools twice.
            return new RunStartResult { SessionId = SessionId, Started = false, Reason = RunStartResult.AlreadyStarted };
        }
        _starting = true;
        try
        {
            return await StartRunAsync(request);
        }
        finally
        {
            _starting = false;
        }
    }

    private async Task<RunStartResult> StartRunAsync(RunStartRequest request)
    {
        var now = Now;
        var runKey = $"r{now}";
        var session = Session;
        var messages = request.Messages ?? [];
        if (messages.Count == 0)
        {
            await session.Ensure();
        }
        else
        {
            // The append creates the session when it is new: one write, not an ensure and then the append.
            var idBase = string.IsNullOrEmpty(request.MessageId) ? runKey : request.MessageId;
            await session.AppendBatch(new SessionAppendRequest
            {
                SessionId = SessionId,
                Messages = messages,
                EntryIds = [.. messages.Select((_, i) => EntryIds.User(idBase, i))],
            });
        }
        S.Run = new RunRequest
        {
            Provider = request.Provider ?? "",
            Model = request.Model!,
            Mode = request.Mode,
            SystemPrompt = request.SystemPrompt ?? "",
            ThinkingLevel = request.ThinkingLevel,
            WorkspaceId = request.WorkspaceId,
            AgentId = request.AgentId,
            Functions = request.Functions,
            MessageId = string.IsNullOrEmpty(request.MessageId) ? null : request.MessageId,
        };
        S.RunKey = runKey;
        S.TransientAttempts = 0;
        S.TraceParent = System.Diagnostics.Activity.Current?.Id;
        var previousState = S.Record?.State ?? "";
        var previousView = _savedView;
        S.Record = TurnStateRecord.New(SessionId, request.MaxTurns, now);
        S.Events.Clear();  // the stored events are the current run's
        HarnessTelemetry.Turns.Add(1);
        _passedState = null;
        // Provisioning only prepares the run: it runs inside the start, whose write stores its outcome.
        var provisioned = await AnnounceAsync(previousView, previousState);
        await RunInlineAsync(S.Record, CancellationToken.None);
        await SaveAsync(provisioned, Provisioning);
        return new RunStartResult { SessionId = SessionId, Started = true };
    }

    public Task<RunAbortResult> Abort()
    {
        if (_running)
        {
            // Cancel the provider stream / tool call now; the serial AbortNow below runs right after the step yields.
            _abortRequested = true;
            _stepCts?.Cancel();
        }
        return this.AsReference<ITurnControlGrain>().AbortNow();
    }

    public async Task<RunAbortResult> AbortNow()
    {
        _abortRequested = false;
        var rec = S.Record;
        if (rec is null || IsTerminal(rec.State))
        {
            return new RunAbortResult { SessionId = SessionId, Aborted = false, State = rec?.State };
        }
        var previousState = rec.State;
        var previousView = _savedView;
        if (previousState is FunctionExecute or FunctionAwaitingApproval or SteeringCheck)
        {
            // The round's calls (and, in steering_check, their results) are stored, maybe not yet in the transcript.
            await AppendRoundAsync(rec, previousState == SteeringCheck ? rec.FunctionResults : []);
        }
        var run = S.Run ?? new RunRequest();
        var aborted = AgentMessage.SyntheticAssistant(StopReasons.Aborted, "run aborted by user", run.Provider, run.Model, Now);
        rec.LastAssistant = aborted;
        rec.AwaitingApproval = null;
        rec.Work = null;
        await EmitAsync(new AgentEvent { Type = AgentEventTypes.MessageComplete, Message = aborted, BodyStreamed = false });
        await EmitTurnEndOnceAsync(rec);
        await FinishAsync(rec);
        await SaveAsync(previousView, previousState);
        return new RunAbortResult { SessionId = SessionId, Aborted = true, State = rec.State };
    }

    public Task<TurnStateView?> GetState() => Task.FromResult(_savedView);

    public async Task<TurnStateView?> GetStateAfterStep()
    {
        if (_running && _pastInboxCheck && _stepFinished is { } finishing)
        {
            await finishing.Task;
        }
        return _savedView;
    }

    public async Task<ApprovalResolveResult> ResolveApproval(ApprovalResolveRequest request)
    {
        try
        {
            request.Validate();
            if (request.SessionId != SessionId)
            {
                throw new PayloadValidationException("session_id", "does not match the addressed session");
            }
        }
        catch (PayloadValidationException e)
        {
            return new ApprovalResolveResult { Ok = false, Error = PayloadValidationException.Code, Field = e.Field, Message = e.Reason };
        }
        var callId = request.FunctionCallId!;
        await _approvalsGate.WaitAsync();
        try
        {
            var had = Decisions.Remove(callId, out var before);
            Decisions[callId] = new ApprovalDecision { Decision = request.Decision!, Reason = string.IsNullOrEmpty(request.Reason) ? null : request.Reason };
            try
            {
                await approvals.WriteStateAsync();
            }
            catch (Exception ex)
            {
                DeactivateOnIdle();
                Decisions.Remove(callId);
                if (had)
                {
                    Decisions[callId] = before!;
                }
                LogResolveFailed(ex, SessionId, callId);
                return new ApprovalResolveResult { Ok = false, Error = "resume_failed", Message = ex.Message };
            }
        }
        finally
        {
            _approvalsGate.Release();
        }
        // A running step (the rest of the batch) picks the decision up when it saves; otherwise wake the parked turn.
        if (!_running && S.Record is { State: FunctionAwaitingApproval } rec && NeedsWake(rec))
        {
            await SyncReminderAsync(rec);
            ScheduleStep(rec.State, TimeSpan.Zero);
        }
        return ApprovalResolveResult.Success;
    }

    public Task<RunRequest?> GetRunRequest() => Task.FromResult(S.Run);

    public async Task Announce(AgentEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        await EmitAsync(evt);
        if (!_running)
        {
            // An idle turn writes nothing else: store the event (and its number) now; it goes out after the write.
            await PersistAsync();
        }
    }

    private async Task EmitCompactionAsync(CompactResult result, string mode)
    {
        if (result.Status == CompactResult.Ok)
        {
            await EmitAsync(new AgentEvent
            {
                Type = AgentEventTypes.CompactionDone, Mode = mode, SummaryText = result.SummaryText, TokensBefore = result.TokensBefore,
                CompactionEntryId = result.CompactionEntryId, TailStartId = result.TailStartId,
            });
        }
    }

    public Task<TurnStepResult> Step(string stateName)
    {
        Require.OneOf(stateName, "state", [.. All]);
        return RunStepAsync(stateName);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.Record is { } rec && NeedsWake(rec))
        {
            if (_stepTimer is null && !_running)
            {
                ScheduleStep(rec.State, TimeSpan.Zero);
            }
            return Task.CompletedTask;
        }
        return SyncReminderAsync(S.Record, release: true);
    }

    /// <summary>Stepable states, plus a parked turn whose decisions arrived (e.g. while its silo was down).</summary>
    private bool NeedsWake(TurnStateRecord rec) =>
        IsStepable(rec.State)
        || (rec.State == FunctionAwaitingApproval && rec.AwaitingApproval?.Any(a => Decisions.ContainsKey(a.FunctionCallId)) == true);

    private void ScheduleStep(string expected, TimeSpan delay)
    {
        _stepTimer?.Dispose();
        _stepTimer = this.RegisterGrainTimer(
            (st, _) => OnStepTimerAsync(st),
            expected,
            new GrainTimerCreationOptions { DueTime = delay, Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
    }

    private async Task OnStepTimerAsync(string expected)
    {
        _stepTimer?.Dispose();
        _stepTimer = null;
        try
        {
            await RunStepAsync(expected);
        }
        catch (Exception ex)
        {
            // Storage down or another activation took over: the reminder retries later.
            LogStepCrashed(ex, SessionId, expected);
            if (ex is InconsistentStateException)
            {
                DeactivateOnIdle();
            }
            else if (_reminderRegistered != true && S.Record is { } rec && IsStepable(rec.State))
            {
                // No reminder to retry (its registration failed too, e.g. PostgreSQL restarting): retry on a timer.
                ScheduleStep(rec.State, Options.WakeReminderPeriod);
            }
        }
    }

    private async Task<TurnStepResult> RunStepAsync(string expected)
    {
        var rec = S.Record ?? throw new InvalidOperationException($"no turn record for session '{SessionId}'");
        if (rec.State != expected || !Handlers.TryGetValue(expected, out var handler))
        {
            return TurnStepResult.Stale;
        }
        if (_announceResume)
        {
            _announceResume = false;
            await ResendUnconfirmedAsync();
            await EmitAsync(new AgentEvent { Type = AgentEventTypes.TurnStateChanged, EventType = "state:updated", NewValue = _savedView });
            await PersistAsync();  // stored and sent now, not after the step: the deltas of this step come after it
        }
        var from = rec.State;
        var previousView = _savedView;
        // The last state announced before the write: this step's, or the one of a step run inside it.
        var (announcedView, announcedState) = (previousView, from);
        // Steps run on timers (no ambient trace): parent them on the run::start call so the run is one trace.
        using var activity = HarnessTelemetry.Source.StartActivity($"turn.step {from}", System.Diagnostics.ActivityKind.Internal, S.TraceParent);
        activity?.SetTag("harness.session_id", SessionId);
        activity?.SetTag("harness.turn_count", rec.TurnCount);
        _running = true;
        _pastInboxCheck = false;
        _stepFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _checkpointed = false;
        _stepCts = new CancellationTokenSource();
        try
        {
            try
            {
                _passedState = null;
                await handler(this, rec, _stepCts.Token);
                if (!_abortRequested && TurnTransitions.RunsInline(from, rec.State))
                {
                    (announcedView, announcedState) = (await AnnounceAsync(previousView, from), rec.State);
                    await RunInlineAsync(rec, _stepCts.Token);
                }
                S.TransientAttempts = 0;
            }
            catch (Exception) when (_abortRequested)
            {
                // run::abort cancelled this step; AbortNow (queued behind us) writes the outcome.
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                HarnessTelemetry.Steps.Add(1, new("state", from), new("outcome", "retry"));
                return await RetryLaterAsync(from, previousView, ex);
            }
            catch (Exception ex) when (ex is not InconsistentStateException)
            {
                HarnessTelemetry.Steps.Add(1, new("state", from), new("outcome", "failed"));
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
                return await FailAsync(rec, announcedState, announcedView, ex);
            }
            if (_abortRequested)
            {
                return new TurnStepResult { FromState = from, ToState = from, Reason = "aborted" };
            }
            await SaveAsync(announcedView, announcedState);
            HarnessTelemetry.Steps.Add(1, new("state", from), new("outcome", "ok"));
            activity?.SetTag("harness.to_state", rec.State);
            return new TurnStepResult { FromState = from, ToState = rec.State };
        }
        finally
        {
            _running = false;
            _stepCts.Dispose();
            _stepCts = null;
            _stepFinished.TrySetResult();
        }
    }

    private async Task<TurnStepResult> RetryLaterAsync(string from, TurnStateView? previousView, Exception error)
    {
        if (!_checkpointed)
        {
            // Nothing of this step reached storage: re-run it from its start, i.e. from the stored row (read back
            // only on this rare path instead of copying the whole state before every step). Event numbers go on.
            try
            {
                await state.ReadStateAsync();
            }
            catch
            {
                DeactivateOnIdle();  // memory holds the failed attempt: reload on the next activation instead
                throw;
            }
            ForgetUnsent();
        }
        S.TransientAttempts++;
        if (S.TransientAttempts > Options.MaxTransientRetries)
        {
            return await FailAsync(S.Record!, from, previousView, error);
        }
        LogTransient(error, SessionId, from, S.TransientAttempts);
        await PersistAsync();
        ScheduleStep(from, Options.TransientBackoff * Math.Pow(2, S.TransientAttempts - 1));
        return new TurnStepResult { FromState = from, ToState = from, Reason = "transient_retry" };
    }

    /// <summary>Spec <c>failTransition</c>: record the error, persist <c>failed</c>, surface it as a message and end the run.</summary>
    private async Task<TurnStepResult> FailAsync(TurnStateRecord rec, string from, TurnStateView? previousView, Exception error)
    {
        LogStepFailed(error, SessionId, from);
        var message = $"from {from}: {error.Message}";
        rec.Error = new TurnError { Kind = error is ContextOverflowException ? ErrorKinds.ContextOverflow : "transition_error", Message = message };
        if (from is FunctionExecute or FunctionAwaitingApproval or SteeringCheck)
        {
            try
            {
                await AppendRoundAsync(rec, from == SteeringCheck ? rec.FunctionResults : []);
            }
            catch (Exception appendError)
            {
                LogStepFailed(appendError, SessionId, from);  // the failure is recorded all the same
            }
        }
        TransitionTo(rec, Failed);
        await SaveAsync(previousView, from);
        var run = S.Run ?? new RunRequest();
        await EmitAsync(new AgentEvent
        {
            Type = AgentEventTypes.MessageComplete,
            Message = AgentMessage.SyntheticAssistant(StopReasons.Error, message, run.Provider, run.Model, Now),
            BodyStreamed = false,
        });
        await EmitAsync(new AgentEvent { Type = AgentEventTypes.AgentEnd, Messages = [] });
        await PersistAsync();  // the failure's message and agent_end are stored before they go out, like every event
        return new TurnStepResult { FromState = from, ToState = Failed };
    }

    /// <summary>
    /// Worth retrying: timeouts, Orleans runtime errors, and a grain call whose remote error could not be sent back
    /// (a storage exception of another silo, e.g. PostgreSQL restarting, has no codec and arrives as that).
    /// </summary>
    private static bool IsTransient(Exception error) => error is TransientException or TimeoutException or Orleans.Serialization.CodecNotFoundException
        || (error is OrleansException && error is not InconsistentStateException);
}
