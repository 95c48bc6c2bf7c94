namespace Harness.Sessions;

/// <summary>
/// A session as the session-manager surface (C4 console, <c>session::get/list/ensure</c>) shows it. <c>title</c> is the
/// session-tree <c>display_name</c> ("" when unnamed); <c>message_count</c> counts message entries only; <c>draft</c>
/// and <c>draft_attachments</c> are absent when nothing is parked.
/// </summary>
[GenerateSerializer]
public sealed record ManagedSessionMeta
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("title")] public string Title { get; init; } = "";
    [Id(2), JsonPropertyName("description")] public string Description { get; init; } = "";
    [Id(3), JsonPropertyName("status")] public string Status { get; init; } = SessionStatuses.Idle;
    [Id(4), JsonPropertyName("status_reason")] public string? StatusReason { get; init; }
    [Id(5), JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }
    [Id(6), JsonPropertyName("draft")] public string? Draft { get; init; }
    [Id(7), JsonPropertyName("draft_attachments")] public IReadOnlyList<AttachmentMeta>? DraftAttachments { get; init; }
    [Id(8), JsonPropertyName("created_at")] public long CreatedAt { get; init; }
    [Id(9), JsonPropertyName("updated_at")] public long UpdatedAt { get; init; }
    [Id(10), JsonPropertyName("message_count")] public int MessageCount { get; init; }
    [Id(11), JsonPropertyName("cwd")] public string? Cwd { get; init; }
}
