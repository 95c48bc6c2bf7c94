using Orleans.Concurrency;

namespace Harness.Budgets;

/// <summary>
/// The index of budgets made by <c>budget::create</c> (one grain, key <see cref="Key"/>): what <c>budget::list</c>
/// reads and how a turn finds the budgets attached to its workspace and agent. Entries are added before the budget
/// is written and removed after it is deleted, so a crash leaves at most an entry whose budget is missing, which
/// readers skip.
/// </summary>
public interface IBudgetDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "budgets";

    Task Add(BudgetDirectoryEntry entry);

    Task Remove(string budgetId);

    /// <summary>Entries (of one workspace when given), newest <c>created_at</c> first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<BudgetDirectoryEntry>> List(string? workspaceId);

    /// <summary>
    /// Budget ids that apply to a run: every given scope field of the budget matches the run (a budget with both
    /// <c>workspace_id</c> and <c>agent_id</c> applies only to that agent in that workspace).
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> ForRun(string? workspaceId, string? agentId);
}

/// <summary>Where a budget is attached, and when it was made (for ordering).</summary>
[GenerateSerializer, Immutable]
public sealed record BudgetDirectoryEntry
{
    [Id(0)] public required string BudgetId { get; init; }
    [Id(1)] public string? WorkspaceId { get; init; }
    [Id(2)] public string? AgentId { get; init; }
    [Id(3)] public long CreatedAt { get; init; }
}
