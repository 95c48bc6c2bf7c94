using Harness.Sessions;

namespace Harness.Compaction;

/// <summary>
/// <c>context::compact</c>: the same tail selection, summariser and lease as <c>compact_session</c>, over messages the
/// caller sends, answering where the kept tail starts instead of writing an entry (the C4 console appends the record).
/// </summary>
public sealed partial class CompactionGrain
{
    public Task<ContextCompactReply> CompactWindow(ContextCompactRequest request)
    {
        request.Validate();
        return ExclusiveAsync(() => CompactWindowAsync(request), busy: new ContextCompactReply { Status = CompactionOutcome.Busy });
    }

    private async Task<ContextCompactReply> CompactWindowAsync(ContextCompactRequest request)
    {
        var messages = request.Messages!;
        if (messages.Count == 0)
        {
            return new ContextCompactReply { Status = CompactionOutcome.Empty };
        }
        var requested = request.Model!;
        var limit = requested.Limits is { ContextWindow: > 0 } l
            ? new ModelLimit { Context = l.ContextWindow, Input = l.InputLimit is > 0 ? l.InputLimit : l.ContextWindow, Output = l.MaxOutputTokens ?? 0 }
            : (await resolver.ResolveAsync(SessionId, new CompactionModel { Id = requested.Id, ProviderId = requested.Provider ?? "" },
                new SessionWindow { SessionId = SessionId, Messages = messages })).Limit;
        var budget = UsableWindow.TailBudget(UsableWindow.Of(limit, Options.ReservedTokens), Options.PreserveRecentTokens);
        var tailStart = TailSelection.TailStart(messages, Options.TailTurns, budget);
        if (tailStart <= 0 || tailStart >= messages.Count)
        {
            return new ContextCompactReply { Status = CompactionOutcome.Empty };
        }
        var head = messages.Take(tailStart).ToList();
        var previous = string.IsNullOrEmpty(request.Options?.PreviousSummary) ? null : request.Options.PreviousSummary;
        string? summary;
        try
        {
            summary = await summariser.SummariseAsync(requested.Provider ?? "", requested.Id!, head, previous, CancellationToken.None);
        }
        catch (SummaryFailedException e)
        {
            LogSummaryFailed(logger, SessionId, e.Message);
            return new ContextCompactReply { Status = CompactionOutcome.Overflow, Message = e.Message };
        }
        if (summary is null)
        {
            return new ContextCompactReply { Status = CompactionOutcome.Empty };
        }
        return new ContextCompactReply
        {
            Status = CompactionOutcome.Ok, Summary = summary, TailStartIndex = tailStart, TokensBefore = TokenEstimator.Estimate(head),
            TokensAfter = TokenEstimator.Estimate(messages.Skip(tailStart), summary), UsedPriorSummary = previous is not null,
        };
    }
}
