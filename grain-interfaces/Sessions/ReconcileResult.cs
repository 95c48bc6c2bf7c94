namespace Harness.Sessions;

/// <summary><c>session-tree::reconcile</c>: how many snapshot messages were missing from the tree and appended.</summary>
[GenerateSerializer]
public sealed record ReconcileResult
{
    [Id(0), JsonPropertyName("state_count")] public int StateCount { get; init; }
    [Id(1), JsonPropertyName("tree_count_before")] public int TreeCountBefore { get; init; }
    [Id(2), JsonPropertyName("tree_count_after")] public int TreeCountAfter { get; init; }
    [Id(3), JsonPropertyName("repaired")] public int Repaired { get; init; }
}
