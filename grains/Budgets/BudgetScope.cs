using Harness.Turns;

namespace Harness.Budgets;

/// <summary>Which budgets a run's model calls are checked against.</summary>
public static class BudgetScope
{
    /// <summary>
    /// The run's configured budgets (<c>workspace:&lt;id&gt;</c>, <c>agent:&lt;id&gt;</c>) and every budget from
    /// <c>budget::create</c> attached to its workspace and/or agent. Looked up before every model call, so a budget
    /// created or deleted mid-run applies from the next call.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ForRunAsync(IGrainFactory grains, RunRequest run)
    {
        var ids = run.BudgetIds.ToList();
        if (run.WorkspaceId is { Length: > 0 } || run.AgentId is { Length: > 0 })
        {
            ids.AddRange(await grains.GetGrain<IBudgetDirectoryGrain>(IBudgetDirectoryGrain.Key).ForRun(run.WorkspaceId, run.AgentId));
        }
        return ids;
    }
}
