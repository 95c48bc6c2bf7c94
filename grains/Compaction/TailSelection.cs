namespace Harness.Compaction;

/// <summary>
/// Which messages a compaction keeps verbatim (spec §3.2 <c>selectWithEntryIds</c>): up to <c>tailTurns</c> recent
/// user-started turns within the token budget; the oldest of them is split when it does not fit whole. The tail never
/// starts on a function result (its call stays with it).
/// </summary>
public static class TailSelection
{
    /// <summary>
    /// Index of the first kept message: 0 when everything fits (nothing to summarise), <c>messages.Count</c> when nothing
    /// can be kept.
    /// </summary>
    public static int TailStart(IReadOnlyList<AgentMessage> messages, int tailTurns, long budget)
    {
        var turnStarts = new List<int>();
        for (var i = messages.Count - 1; i >= 0 && turnStarts.Count < Math.Max(1, tailTurns); i--)
        {
            if (messages[i].Role == Roles.User)
            {
                turnStarts.Add(i);
            }
        }
        if (turnStarts.Count == 0)
        {
            return messages.Count;
        }
        var start = messages.Count;
        long used = 0;
        foreach (var turnStart in turnStarts)
        {
            var turnTokens = TokenEstimator.Estimate(messages.Skip(turnStart).Take(start - turnStart));
            if (used + turnTokens <= budget)
            {
                used += turnTokens;
                start = turnStart;
                continue;
            }
            // Split this turn: keep its newest messages that still fit.
            var split = start;
            while (split - 1 > turnStart && used + TokenEstimator.Estimate([messages[split - 1]]) <= budget)
            {
                used += TokenEstimator.Estimate([messages[split - 1]]);
                split--;
            }
            while (split < start && messages[split].Role == Roles.FunctionResult)
            {
                split++;
            }
            start = split;
            break;
        }
        return start;
    }
}
