using Harness.Budgets;
using Harness.Compaction;
using Harness.Hosting;
using Harness.Providers;
using Harness.Sessions;
using static Harness.Turns.TurnStates;

namespace Harness.Turns;

/// <summary>The per-state handlers outside the tool batch: provisioning, assistant_streaming, steering_check.</summary>
public sealed partial class TurnGrain
{
    private static readonly Dictionary<string, Func<TurnGrain, TurnStateRecord, CancellationToken, Task>> Handlers = new()
    {
        [Provisioning] = static (g, r, _) => g.ProvisionAsync(r),
        [AssistantStreaming] = static (g, r, ct) => g.StreamAssistantAsync(r, ct),
        [FunctionExecute] = static (g, r, ct) => g.ExecuteBatchAsync(r, ct),
        [FunctionAwaitingApproval] = static (g, r, ct) => g.AwaitApprovalAsync(r, ct),
        [SteeringCheck] = static (g, r, _) => g.SteeringCheckAsync(r),
    };

    private static readonly Dictionary<string, string> ModeParagraphs = new()
    {
        ["plan"] = "Mode: plan. Describe the steps you would take; do not call functions that change anything.",
        ["ask"] = "Mode: ask. Answer questions; call only read-only functions.",
        ["agent"] = "Mode: agent. Carry out the task with the functions you need.",
    };

    /// <summary>
    /// Spec §2.7: the system prompt and the tool list (only <c>agent_trigger</c>) follow from the run request and the
    /// options, so they are derived for each model call (<see cref="ProviderPrompt"/>) rather than stored: every
    /// later write of the turn row would re-save them (~650 B) unchanged.
    /// </summary>
    private Task ProvisionAsync(TurnStateRecord rec)
    {
        _ = S.Run ?? throw new InvalidOperationException("run request missing");
        TransitionTo(rec, AssistantStreaming);
        return Task.CompletedTask;
    }

    /// <summary>The run's own system prompt, else the default one with the mode's paragraph; rows provisioned before
    /// this was derived still carry the stored prompt and tool list, which win.</summary>
    private (string SystemPrompt, IReadOnlyList<AgentFunction> Functions) ProviderPrompt(RunRequest run)
    {
        var prompt = run.SystemPrompt.Length > 0
            ? run.SystemPrompt
            : run.Mode is not null && ModeParagraphs.TryGetValue(run.Mode, out var paragraph)
                ? $"{Options.DefaultSystemPrompt}\n\n{paragraph}"
                : Options.DefaultSystemPrompt;
        return (prompt, run.FunctionSchemas.Count > 0 ? run.FunctionSchemas : [AgentTriggerTool.Schema]);
    }

    /// <summary>Spec §2.8: one model round trip, then route to the batch, steering_check or stopped.</summary>
    private async Task StreamAssistantAsync(TurnStateRecord rec, CancellationToken cancellationToken)
    {
        rec.TurnCount++;
        rec.TurnEndEmitted = false;
        rec.AssistantBodyStreamed = false;
        var run = S.Run ?? throw new InvalidOperationException("run request missing");
        var session = Session;
        var window = await session.Messages();
        var assistantId = EntryIds.Assistant(S.RunKey!, rec.TurnCount);
        var known = window.EntryIds.ToList().IndexOf(assistantId);
        var (assistant, streamed) = known >= 0
            ? (window.Messages[known], false)  // re-run after a crash: the answer is already stored, don't ask the model twice
            : await GenerateWithinLimitsAsync(rec, run, window, cancellationToken);
        rec.LastAssistant = assistant;
        rec.AssistantBodyStreamed = streamed;
        await EmitAsync(new AgentEvent { Type = AgentEventTypes.MessageComplete, Message = assistant, BodyStreamed = streamed });
        if (assistant.StopReason is StopReasons.Error or StopReasons.Aborted)
        {
            await EmitTurnEndOnceAsync(rec);
            await FinishAsync(rec);
            return;
        }
        if (assistant.FunctionCalls.Any())
        {
            // Stored with the turn row; it reaches the transcript with its results in one append (steering_check), or
            // before the batch parks for a decision.
            rec.FunctionResults = [];
            rec.AwaitingApproval = [];
            rec.Work = new TurnWork { Prepared = BatchPlanner.Plan(assistant) };
            TransitionTo(rec, FunctionExecute);
            return;
        }
        await session.AppendBatch(new SessionAppendRequest { SessionId = SessionId, Messages = [assistant], EntryIds = [assistantId] });
        TransitionTo(rec, SteeringCheck);
    }

    /// <summary>Pre-flight compaction, budget reservation, the model call, then the spend is recorded.</summary>
    private async Task<(AgentMessage Message, bool BodyStreamed)> GenerateWithinLimitsAsync(
        TurnStateRecord rec, RunRequest run, SessionWindow window, CancellationToken cancellationToken)
    {
        var stepKey = $"{S.RunKey}-t{rec.TurnCount}";
        var compaction = await compactor.CompactAsync(SessionId, run.Provider, run.Model, $"{stepKey}-compaction", force: false, cancellationToken);
        if (compaction.Status == CompactResult.Ok)
        {
            await EmitCompactionAsync(compaction, "sync");
            window = await Session.Messages();
        }
        var estimate = TokenEstimator.Estimate(window.Messages, window.Summary);
        var reserved = new List<string>();
        foreach (var budgetId in await BudgetScope.ForRunAsync(GrainFactory, run))
        {
            BudgetCheckResult check;
            try
            {
                check = await GrainFactory.GetGrain<IBudgetGrain>(budgetId).Reserve(new BudgetCheckRequest
                {
                    EstimatedTokens = estimate, ReservationId = $"{stepKey}:{budgetId}", RunId = SessionId, PrincipalId = run.AgentId is { Length: > 0 } agent ? agent : null,
                    EstimatedCostUsd = pricing.CostUsd(run.Model, new Usage { Input = estimate }),
                });
            }
            catch (BudgetNotFoundException)
            {
                continue;  // no cap configured for this id
            }
            if (!check.Allowed)
            {
                foreach (var id in reserved)
                {
                    await GrainFactory.GetGrain<IBudgetGrain>(id).Release($"{stepKey}:{id}");
                }
                var reason = $"budget exceeded: {budgetId} ({check.Reason})";
                rec.Error = new TurnError { Kind = "budget_exceeded", Message = reason };
                var denied = AgentMessage.SyntheticAssistant(StopReasons.Error, reason, run.Provider, run.Model, Now) with { ErrorKind = ErrorKinds.Permanent };
                return (denied, false);
            }
            reserved.Add(budgetId);
        }
        var answer = await GenerateAsync(run, window, cancellationToken);
        var usage = answer.Message.Usage;
        foreach (var budgetId in reserved)
        {
            await GrainFactory.GetGrain<IBudgetGrain>(budgetId).Record(new BudgetRecordRequest
            {
                TokensIn = usage?.Input ?? 0, TokensOut = usage?.Output ?? 0, CostUsd = pricing.CostUsd(run.Model, usage),
                RecordId = $"{stepKey}:{budgetId}", ReservationId = $"{stepKey}:{budgetId}", RunId = SessionId,
            });
        }
        return answer;
    }

    private async Task<(AgentMessage Message, bool BodyStreamed)> GenerateAsync(RunRequest run, SessionWindow window, CancellationToken cancellationToken)
    {
        var providerName = ProviderRouter.Decide(run.Provider, run.Model);
        var provider = await providers.ResolveAsync(providerName, cancellationToken);
        if (provider is null)
        {
            return (AgentMessage.SyntheticAssistant(StopReasons.Error, $"provider '{providerName}' is not registered", providerName, run.Model, Now), false);
        }
        IReadOnlyList<AgentMessage> messages = window.Summary is null
            ? window.Messages
            : [AgentMessage.User($"Summary of the earlier conversation:\n{window.Summary}", Now), .. window.Messages];
        var (systemPrompt, functions) = ProviderPrompt(run);
        var request = new ProviderRequest(run.Model, systemPrompt, messages, functions, run.ThinkingLevel);
        using var activity = HarnessTelemetry.Source.StartActivity($"provider.stream {providerName}");
        activity?.SetTag("gen_ai.request.model", run.Model);
        var coalescer = new DeltaCoalescer(Options.CoalesceWindow, Options.CoalesceMaxChars, time);
        AgentMessage? final = null;
        string? failure = null;
        var streamed = false;
        try
        {
            await foreach (var evt in provider.StreamAsync(request, cancellationToken).WithCancellation(cancellationToken))
            {
                faults.At("stream_event");
                streamed |= evt.Type is StreamEventTypes.TextDelta or StreamEventTypes.ThinkingDelta;
                if (evt.IsTerminal)
                {
                    final = evt.Type == StreamEventTypes.Done ? evt.Message : evt.Error;
                    break;
                }
                foreach (var update in coalescer.Add(evt))
                {
                    await EmitUpdateAsync(update);
                }
            }
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or TransientException))
        {
            failure = ex.Message;
        }
        if (coalescer.Flush() is { } rest)
        {
            await EmitUpdateAsync(rest);
        }
        if (final is null)
        {
            var reason = failure ?? "provider channel closed without final";
            final = AgentMessage.SyntheticAssistant(StopReasons.Error, reason, providerName, run.Model, Now);
            await EmitUpdateAsync(new AssistantMessageEvent { Type = StreamEventTypes.TextDelta, Delta = reason, Partial = final });
        }
        if (final.Usage is { } usage)
        {
            HarnessTelemetry.Tokens.Add(usage.Input ?? 0, new KeyValuePair<string, object?>("direction", "input"));
            HarnessTelemetry.Tokens.Add(usage.Output ?? 0, new KeyValuePair<string, object?>("direction", "output"));
        }
        return (final, streamed);
    }

    private Task EmitUpdateAsync(AssistantMessageEvent evt) =>
        EmitAsync(new AgentEvent { Type = AgentEventTypes.MessageUpdate, Message = evt.Partial, LlmEvent = evt });

    /// <summary>Spec §2.13: fold inbox messages in, continue after function results, or end the run.</summary>
    private async Task SteeringCheckAsync(TurnStateRecord rec)
    {
        _pastInboxCheck = true;
        var session = Session;
        // The batch's calls and results were stored with the turn row (the batch's last write); the transcript gets them here.
        await AppendRoundAsync(rec, rec.FunctionResults);
        var continues = rec.FunctionResults.Count > 0;
        if (rec.MaxTurns is { } max && rec.TurnCount >= max)
        {
            continues = continues
                || await session.InboxCount(InboxNames.Steering) > 0
                || await session.InboxCount(InboxNames.Followup) > 0;
            if (continues)
            {
                var run = S.Run ?? new RunRequest();
                var notice = AgentMessage.SyntheticAssistant(StopReasons.End, $"loop stopped: max_turns ({max}) reached", run.Provider, run.Model, Now);
                await session.AppendBatch(new SessionAppendRequest
                {
                    SessionId = SessionId, Messages = [notice], EntryIds = [EntryIds.MaxTurnsNotice(S.RunKey!, rec.TurnCount)],
                });
                await EmitAsync(new AgentEvent { Type = AgentEventTypes.MessageComplete, Message = notice, BodyStreamed = false });
            }
            await EmitTurnEndOnceAsync(rec);
            await FinishAsync(rec);
            return;
        }
        var prefix = EntryIds.InboxPrefix(S.RunKey!, rec.TurnCount);
        var inbox = (await session.MoveInboxToTree(InboxNames.Steering, prefix + "-steering")).Items;
        faults.At("after_inbox_move");
        if (inbox.Count == 0)
        {
            inbox = (await session.MoveInboxToTree(InboxNames.Followup, prefix + "-followup")).Items;
        }
        if (inbox.Count > 0)
        {
            await EmitTurnEndOnceAsync(rec);
            rec.FunctionResults = [];
            TransitionTo(rec, AssistantStreaming);
            return;
        }
        if (continues)
        {
            rec.FunctionResults = [];
            TransitionTo(rec, AssistantStreaming);
            return;
        }
        await EmitTurnEndOnceAsync(rec);
        await FinishAsync(rec);
    }
}
