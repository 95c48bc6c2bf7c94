namespace Harness.Sessions;

/// <summary>What a new session starts with: <c>session-tree::create</c> (branch_count 1) or <c>ensure</c> (0).</summary>
[GenerateSerializer]
public sealed record SessionCreateRequest
{
    [Id(0), JsonPropertyName("display_name")] public string? DisplayName { get; init; }
    [Id(1), JsonPropertyName("cwd")] public string? Cwd { get; init; }
    [Id(2), JsonPropertyName("branch_count")] public int BranchCount { get; init; }
}
