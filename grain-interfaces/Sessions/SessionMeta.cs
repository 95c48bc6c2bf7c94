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

    // Session-manager (C4 console) fields; absent in rows written before them.
    [Id(6), JsonPropertyName("description")] public string? Description { get; init; }
    [Id(7), JsonPropertyName("status")] public string? Status { get; init; }
    [Id(8), JsonPropertyName("status_reason")] public string? StatusReason { get; init; }
    [Id(9), JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }
    [Id(10), JsonPropertyName("draft")] public string? Draft { get; init; }
    [Id(11), JsonPropertyName("draft_attachment_ids")] public IReadOnlyList<string>? DraftAttachmentIds { get; init; }
}
