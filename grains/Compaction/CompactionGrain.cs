using Harness.Events;
using Harness.Sessions;
using Harness.Turns;
using Harness.Validation;
using Microsoft.Extensions.Options;

namespace Harness.Compaction;

/// <inheritdoc cref="ICompactionGrain"/>
/// <remarks>
/// Steps (spec §3.2 <c>handleSync</c>): take the lease, load the window, find the replay, prune old tool outputs, choose
/// the tail, summarise the head through the session's provider, append the compaction entry (after a replay: re-append
/// the replayed user message and the continue prompt behind it), emit <c>compaction_done</c> through the session's turn
/// grain (its event sequence), release the lease. Nothing is stored
/// in grain state: the lease dies with the activation, so a silo death never leaves it held.
/// </remarks>
[GrainType("compaction")]
public sealed partial class CompactionGrain(
    SessionSummariser summariser,
    CompactionModelResolver resolver,
    ToolOutputPruner pruner,
    IOptions<CompactionOptions> options,
    TimeProvider time,
    ILogger<CompactionGrain> logger) : Grain, ICompactionGrain
{
    public const string SyncMode = "sync";

    private Task? _inProgress;

    private CompactionOptions Options => options.Value;

    private string SessionId => this.GetPrimaryKeyString();

    public Task<CompactionOutcome> CompactNow(CompactNowRequest request)
    {
        Check(request.Validate());
        return ExclusiveAsync(() => CompactAsync(request.Model, request.LastUserMessageId));
    }

    public Task<CompactionOutcome> CompactSession(CompactSessionRequest request)
    {
        Check(request.Validate());
        // compact_session = handleSync with no replay, so no continue prompt and auto_continued:false.
        return ExclusiveAsync(() => CompactAsync(request.Model, lastUserMessageId: null));
    }

    private void Check(string sessionId)
    {
        if (sessionId != SessionId)
        {
            throw new PayloadValidationException("session_id", "does not match the addressed session");
        }
    }

    /// <summary>The lease: wait (bounded) for a compaction in progress, refuse while a turn runs, then hold it.</summary>
    private Task<CompactionOutcome> ExclusiveAsync(Func<Task<CompactionOutcome>> work) => ExclusiveAsync(work, CompactionOutcome.BusyOutcome);

    private async Task<T> ExclusiveAsync<T>(Func<Task<T>> work, T busy)
    {
        var deadline = time.GetUtcNow() + Options.BusyTimeout;
        while (_inProgress is { } current)
        {
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return busy;
            }
            try
            {
                await current.WaitAsync(left, time);
            }
            catch (TimeoutException)
            {
                return busy;
            }
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inProgress = done.Task;
        try
        {
            if (await GrainFactory.GetGrain<ITurnGrain>(SessionId).GetState() is { } turn && !TurnStates.IsTerminal(turn.State))
            {
                return busy;
            }
            return await work();
        }
        finally
        {
            _inProgress = null;
            done.TrySetResult();
        }
    }

    private async Task<CompactionOutcome> CompactAsync(CompactionModel? requested, string? lastUserMessageId)
    {
        var session = GrainFactory.GetGrain<ISessionGrain>(SessionId);
        var window = await session.Messages();
        if (window.Messages.Count == 0)
        {
            return CompactionOutcome.EmptyOutcome;
        }
        var model = await resolver.ResolveAsync(SessionId, requested, window);
        var messages = window.Messages;
        var replayAt = -1;
        if (!string.IsNullOrEmpty(lastUserMessageId))
        {
            var at = window.EntryIds.ToList().IndexOf(lastUserMessageId);
            replayAt = at >= 0 && messages[at].Role == Roles.User ? at : -1;
        }
        // Step 4: prune older tool outputs first (the cheap path). Like the original, the summary below reads the window
        // loaded before the prune; the prune shrinks what later model calls get from the tree.
        await pruner.PruneUnleasedAsync(SessionId);
        var candidates = replayAt >= 0 ? messages.Take(replayAt).ToList() : messages;
        var budget = UsableWindow.TailBudget(UsableWindow.Of(model.Limit, Options.ReservedTokens), Options.PreserveRecentTokens);
        var tailStart = TailSelection.TailStart(candidates, Options.TailTurns, budget);
        if (tailStart >= candidates.Count && replayAt >= 0)
        {
            tailStart = replayAt;  // nothing before the replay fits: all of it is summarised, the replay alone follows
        }
        if (tailStart <= 0 || tailStart >= messages.Count)
        {
            return CompactionOutcome.EmptyOutcome;
        }
        var head = messages.Take(tailStart).ToList();
        var tokensBefore = TokenEstimator.Estimate(head);
        string? summary;
        try
        {
            summary = await summariser.SummariseAsync(model.Provider, model.Id, head, window.Summary, CancellationToken.None);
        }
        catch (SummaryFailedException e)
        {
            LogSummaryFailed(logger, SessionId, e.Message);
            return CompactionOutcome.OverflowOutcome(e.Message);
        }
        if (summary is null)
        {
            return CompactionOutcome.EmptyOutcome;
        }
        // With a replay the compaction hangs where the replayed user message did, and that message is appended again
        // behind it (then the continue prompt): the active path reads summary → tail → replay → continue, the window the
        // original rewrites its flat state to. The replayed entry and what followed it stay in the tree as a side branch.
        string? parentId = null;
        string? tailId = tailStart < replayAt || replayAt < 0 ? window.EntryIds[tailStart] : null;
        if (replayAt >= 0)
        {
            var replayId = window.EntryIds[replayAt];
            parentId = (await session.Entries()).Entries.First(e => e.Id == replayId).ParentId;
        }
        var entry = await session.AddCompaction(new CompactionRequest
        {
            SessionId = SessionId, EntryId = $"cmp-{Guid.NewGuid():N}", Summary = summary, TailStartId = tailId, TokensBefore = tokensBefore,
            ParentId = parentId,
        });
        if (replayAt >= 0)
        {
            await session.AppendBatch(new SessionAppendRequest
            {
                SessionId = SessionId,
                ParentId = entry.Id,
                Messages = [messages[replayAt], AgentMessage.User(Options.ContinuePrompt, time.GetUtcNow().ToUnixTimeMilliseconds())],
                EntryIds = [$"{entry.Id}-replay", $"{entry.Id}-continue"],
            });
        }
        await AnnounceAsync(entry.Id, summary, tokensBefore, tailId);
        return new CompactionOutcome
        {
            Status = CompactionOutcome.Ok, TailStartId = tailId, TokensBefore = tokensBefore, AutoContinued = replayAt >= 0,
            SummaryText = summary, CompactionEntryId = entry.Id,
        };
    }

    /// <summary>Best effort, as the original: the compaction is stored whether or not the event goes out.</summary>
    private async Task AnnounceAsync(string entryId, string summary, long tokensBefore, string? tailId)
    {
        try
        {
            await GrainFactory.GetGrain<ITurnGrain>(SessionId).Announce(new AgentEvent
            {
                Type = AgentEventTypes.CompactionDone, Mode = SyncMode, SummaryText = summary, TokensBefore = tokensBefore,
                CompactionEntryId = entryId, TailStartId = tailId,
            });
        }
        catch (Exception ex)
        {
            LogEmitFailed(logger, ex, SessionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compaction of session {SessionId}: summariser failed: {Reason}")]
    private static partial void LogSummaryFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "compaction_done_emit_failed for session {SessionId}")]
    private static partial void LogEmitFailed(ILogger logger, Exception exception, string sessionId);
}
