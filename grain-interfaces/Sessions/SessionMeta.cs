namespace Harness.Sessions;

/// <summary>
/// Session metadata (console-and-data §3.1 <c>SessionMeta</c>): <c>branch_count</c> is 1 for <c>create</c> (and
/// fork/clone targets) and 0 for <c>ensure</c>; <c>updated_at</c> follows every change to the tree.
/// </summary>
[GenerateSerializer]
public sealed record SessionMeta
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("display_name")] public string? DisplayName { get; init; }
    [Id(2), JsonPropertyName("created_at")] public long CreatedAt { get; init; }
    [Id(3), JsonPropertyName("updated_at")] public long UpdatedAt { get; init; }
    [Id(4), JsonPropertyName("cwd")] public string? Cwd { get; init; }
    [Id(5), JsonPropertyName("branch_count")] public int BranchCount { get; init; }
}
