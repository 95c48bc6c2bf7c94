namespace Harness.Sessions;

/// <summary>
/// One row of <c>session-tree::list</c>. <c>last_message_summary</c> is the first 80 characters of the first text
/// block of the last message entry when that is a user or assistant message.
/// </summary>
[GenerateSerializer]
public sealed record SessionListRow
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("created_at")] public long CreatedAt { get; init; }
    [Id(2), JsonPropertyName("updated_at")] public long UpdatedAt { get; init; }
    [Id(3), JsonPropertyName("entry_count")] public int EntryCount { get; init; }
    [Id(4), JsonPropertyName("display_name")] public string? DisplayName { get; init; }
    [Id(5), JsonPropertyName("cwd")] public string? Cwd { get; init; }
    [Id(6), JsonPropertyName("last_message_summary")] public string? LastMessageSummary { get; init; }

    // Session-manager (C4 console) columns of session::list.
    [Id(7), JsonPropertyName("description")] public string? Description { get; init; }
    [Id(8), JsonPropertyName("status")] public string? Status { get; init; }
    [Id(9), JsonPropertyName("status_reason")] public string? StatusReason { get; init; }
    [Id(10), JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }
    [Id(11), JsonPropertyName("message_count")] public int? MessageCount { get; init; }
}

/// <summary><c>session-tree::list</c> answer: one page and the number of sessions in all.</summary>
[GenerateSerializer]
public sealed record SessionListResult
{
    [Id(0), JsonPropertyName("sessions")] public IReadOnlyList<SessionListRow> Sessions { get; init; } = [];
    [Id(1), JsonPropertyName("total")] public int Total { get; init; }
}
