using Harness.Hosting;

namespace Harness.Budgets;

/// <summary>The index of created budgets (see <see cref="IBudgetDirectoryGrain"/>); one small row of ids and scopes.</summary>
[GrainType("budget-directory")]
public sealed class BudgetDirectoryGrain(
    [PersistentState("budget-directory", HarnessStorage.Name)] IPersistentState<BudgetDirectoryState> state) : Grain, IBudgetDirectoryGrain
{
    public async Task Add(BudgetDirectoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (state.State.Entries.TryGetValue(entry.BudgetId, out var existing) && existing == entry)
        {
            return;
        }
        state.State.Entries[entry.BudgetId] = entry;
        await state.WriteStateAsync();
    }

    public async Task Remove(string budgetId)
    {
        if (state.State.Entries.Remove(budgetId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<BudgetDirectoryEntry>> List(string? workspaceId) =>
        Task.FromResult<IReadOnlyList<BudgetDirectoryEntry>>([.. state.State.Entries.Values
            .Where(e => workspaceId is null || e.WorkspaceId == workspaceId)
            .OrderByDescending(e => e.CreatedAt)
            .ThenBy(e => e.BudgetId, StringComparer.Ordinal)]);

    public Task<IReadOnlyList<string>> ForRun(string? workspaceId, string? agentId) =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Entries.Values
            .Where(e => (e.WorkspaceId is not null || e.AgentId is not null)
                        && (e.WorkspaceId is null || e.WorkspaceId == workspaceId)
                        && (e.AgentId is null || e.AgentId == agentId))
            .OrderBy(e => e.CreatedAt)
            .Select(e => e.BudgetId)]);
}

/// <summary>Stored directory: budget id → entry.</summary>
[GenerateSerializer]
public sealed class BudgetDirectoryState
{
    [Id(0)] public Dictionary<string, BudgetDirectoryEntry> Entries { get; set; } = new(StringComparer.Ordinal);
}
