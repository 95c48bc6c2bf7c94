using Harness.Models;
using Harness.Providers;
using Harness.Sessions;
using Microsoft.Extensions.Options;

namespace Harness.Compaction;

/// <summary>
/// Summarises the head of a session through the same provider path as a turn and stores the summary as a compaction
/// entry in the session tree, so later windows are summary + tail.
/// </summary>
public sealed class ContextCompactor(IProviderRegistry providers, IGrainFactory grains, IOptions<CompactionOptions> options, TimeProvider time)
{
    private CompactionOptions Options => options.Value;

    /// <summary>The model's context window from the catalog, else the built-in table; null when unknown.</summary>
    public async Task<long?> ContextWindowAsync(string model)
    {
        var entry = await grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key).Get(model);
        return entry?.ContextWindow is > 0 ? entry.ContextWindow : KnownModelLimits.ContextWindow(model);
    }

    /// <summary>
    /// Compacts when <paramref name="force"/> or the window is over the threshold. Throws
    /// <see cref="ContextOverflowException"/> when the context is over the model's window and cannot be made to fit.
    /// </summary>
    public async Task<CompactResult> CompactAsync(string sessionId, string provider, string model, string entryId, bool force, CancellationToken cancellationToken)
    {
        var session = grains.GetGrain<ISessionGrain>(sessionId);
        var window = await session.Messages();
        var before = TokenEstimator.Estimate(window.Messages, window.Summary);
        var limit = await ContextWindowAsync(model);
        if (!force && (limit is null || before < limit * Options.Threshold))
        {
            return new CompactResult { Status = CompactResult.Skipped, TokensBefore = before, Reason = limit is null ? "unknown context window" : "under threshold" };
        }
        var tailStart = TailStart(window.Messages);
        if (tailStart <= 0)
        {
            return limit is not null && before >= limit
                ? throw new ContextOverflowException($"context of ~{before} tokens exceeds the {limit}-token window of {model} and nothing is left to compact")
                : new CompactResult { Status = CompactResult.Skipped, TokensBefore = before, Reason = "nothing to compact" };
        }
        var summary = await SummariseAsync(provider, model, window, tailStart, cancellationToken);
        if (summary is null)
        {
            return limit is not null && before >= limit
                ? throw new ContextOverflowException($"context of ~{before} tokens exceeds the {limit}-token window of {model} and summarising it failed")
                : new CompactResult { Status = CompactResult.Skipped, TokensBefore = before, Reason = "summary failed" };
        }
        var tailId = window.EntryIds[tailStart];
        var entry = await session.AddCompaction(new CompactionRequest
        {
            SessionId = sessionId, EntryId = entryId, Summary = summary, TailStartId = tailId, TokensBefore = before,
        });
        var after = TokenEstimator.Estimate(window.Messages.Skip(tailStart), summary);
        if (limit is not null && after >= limit)
        {
            throw new ContextOverflowException($"context still ~{after} tokens after compaction; the {limit}-token window of {model} is too small");
        }
        return new CompactResult
        {
            Status = CompactResult.Ok, CompactionEntryId = entry.Id, TokensBefore = before, TokensAfter = after,
            SummaryText = summary, TailStartId = tailId,
        };
    }

    /// <summary>Keeps the last N messages, never starting the tail on a function result (its call must stay with it).</summary>
    private int TailStart(IReadOnlyList<AgentMessage> messages)
    {
        var start = Math.Max(0, messages.Count - Options.KeepTailMessages);
        while (start > 0 && messages[start].Role == Roles.FunctionResult)
        {
            start--;
        }
        return start;
    }

    private async Task<string?> SummariseAsync(string providerName, string model, SessionWindow window, int tailStart, CancellationToken cancellationToken)
    {
        var provider = await providers.ResolveAsync(ProviderRouter.Decide(providerName, model), cancellationToken);
        if (provider is null)
        {
            return null;
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        List<AgentMessage> head = [.. window.Messages.Take(tailStart)];
        if (window.Summary is not null)
        {
            head.Insert(0, AgentMessage.User($"Summary of the earlier conversation:\n{window.Summary}", now));
        }
        head.Add(AgentMessage.User(Options.Instruction, now));
        AgentMessage? final = null;
        await foreach (var evt in provider.StreamAsync(new ProviderRequest(model, Options.Instruction, head, [], Purpose: ProviderRequest.SummaryPurpose), cancellationToken))
        {
            if (evt.IsTerminal)
            {
                final = evt.Type == StreamEventTypes.Done ? evt.Message : null;
                break;
            }
        }
        var text = final?.Text;
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }
}
