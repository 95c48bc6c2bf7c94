using Microsoft.Extensions.Options;

namespace Harness.Sessions;

/// <summary>
/// <c>context-compaction::prune_tool_outputs</c> (console-and-data §3.2): walks the active path from newest to oldest,
/// skips everything in the two most recent user turns and results of protected tools, keeps the first
/// <see cref="ToolOutputPruneOptions.ProtectTokens"/> tokens of function results, and replaces the older ones with
/// "[output pruned]" (one <see cref="ISessionGrain.UpdateParts"/> write) when that frees at least
/// <see cref="ToolOutputPruneOptions.MinFreeTokens"/>. One prune per session at a time (the session's <c>prune</c>
/// lease); a second one answers <c>busy:true</c>.
/// </summary>
public sealed class ToolOutputPruner(IGrainFactory grains, IOptions<ToolOutputPruneOptions> options, TimeProvider time)
{
    public const string LeaseName = "prune";

    /// <summary>User messages newer than the outputs that may be pruned.</summary>
    private const int ProtectedUserTurns = 2;

    private static readonly ToolOutputPruneOptions Defaults = new();

    /// <summary><c>context-compaction::prune_tool_outputs</c>: under the session's <c>prune</c> lease.</summary>
    public async Task<PruneResult> PruneAsync(string sessionId)
    {
        var o = options.Value;
        var ttl = o.LeaseTtl > TimeSpan.Zero ? o.LeaseTtl : Defaults.LeaseTtl;
        var session = grains.GetGrain<ISessionGrain>(sessionId);
        var nonce = Guid.NewGuid().ToString("N");
        if (!await session.TryAcquireLease(LeaseName, nonce, ttl))
        {
            return new PruneResult { Busy = true };
        }
        try
        {
            return await PruneUnleasedAsync(sessionId);
        }
        finally
        {
            await session.ReleaseLease(LeaseName, nonce);
        }
    }

    /// <summary>
    /// The prune itself, without the <c>prune</c> lease: <c>compact_now</c>'s step 4 runs it under the compaction lease,
    /// as the original's <c>handleSync</c> calls <c>prune()</c> directly.
    /// </summary>
    public async Task<PruneResult> PruneUnleasedAsync(string sessionId)
    {
        var o = options.Value;
        var protect = o.ProtectTokens > 0 ? o.ProtectTokens : Defaults.ProtectTokens;
        var minFree = o.MinFreeTokens > 0 ? o.MinFreeTokens : Defaults.MinFreeTokens;
        var session = grains.GetGrain<ISessionGrain>(sessionId);
        var path = await session.PathMessages(null);
        var (queue, scanned) = Select(path, protect, [.. o.ProtectedTools]);
        var freed = queue.Sum(q => q.Tokens);
        if (queue.Count == 0 || freed < minFree)
        {
            return new PruneResult { ScannedParts = scanned };
        }
        var stamp = JsonSerializer.SerializeToElement(time.GetUtcNow().ToUnixTimeMilliseconds());
        await session.UpdateParts([.. queue.Select(q => new PartUpdate { EntryId = q.EntryId, CompactedAt = stamp })]);
        return new PruneResult { PrunedTokens = freed, PrunedParts = queue.Count, ScannedParts = scanned };
    }

    /// <summary>The outputs to prune (newest first) and how many function results were looked at.</summary>
    public static (List<(string EntryId, long Tokens)> Queue, int Scanned) Select(IReadOnlyList<SessionMessageRow> path, long protect, HashSet<string> protectedTools)
    {
        var queue = new List<(string, long)>();
        long total = 0;
        var scanned = 0;
        var userTurns = 0;
        for (var i = path.Count - 1; i >= 0; i--)
        {
            var message = path[i].Message;
            if (message.Role == Roles.User)
            {
                userTurns++;
                continue;
            }
            if (userTurns < ProtectedUserTurns || message.Role != Roles.FunctionResult || protectedTools.Contains(message.FunctionId ?? ""))
            {
                continue;
            }
            // The original's estimate: a token per four characters of text.
            var tokens = (long)message.Text.Length / 4;
            scanned++;
            total += tokens;
            if (total > protect)
            {
                queue.Add((path[i].EntryId, tokens));
            }
        }
        return (queue, scanned);
    }
}
