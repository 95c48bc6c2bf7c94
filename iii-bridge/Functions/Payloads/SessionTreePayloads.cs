using Harness.Messages;
using Harness.Sessions;
using Harness.Validation;

namespace Harness.Bridge.Functions.Payloads;

// Request and answer shapes of the session worker's functions (console-and-data §3.1), one record per shape.

/// <summary><c>session-tree::create</c>.</summary>
public sealed record SessionCreatePayload
{
    [JsonPropertyName("display_name")] public string? DisplayName { get; init; }
    [JsonPropertyName("cwd")] public string? Cwd { get; init; }
}

/// <summary><c>session-tree::ensure</c>.</summary>
public sealed record SessionEnsurePayload
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("display_name")] public string? DisplayName { get; init; }
    [JsonPropertyName("cwd")] public string? Cwd { get; init; }
}

/// <summary><c>{session_id}</c> answers (create, fork, clone).</summary>
public sealed record SessionIdResult
{
    [JsonPropertyName("session_id")] public required string SessionId { get; init; }
}

/// <summary><c>session-tree::append</c>: one message under <c>parent_id</c> (null or absent: the active leaf).</summary>
public sealed record SessionAppendPayload
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("parent_id")] public string? ParentId { get; init; }
    [JsonPropertyName("message")] public AgentMessage? Message { get; init; }

    public string Validate()
    {
        var sessionId = Require.Key(SessionId, "session_id");
        if (Message is null)
        {
            throw new PayloadValidationException("message", "is required (an AgentMessage)");
        }
        Require.NonEmpty(Message.Role, "message.role");
        return sessionId;
    }
}

/// <summary><c>{entry_id}</c> answers (append, compact, append_synthetic).</summary>
public sealed record EntryIdResult
{
    [JsonPropertyName("entry_id")] public required string EntryId { get; init; }
}

/// <summary><c>session-tree::messages</c> and <c>export_html</c>: a session and optionally the leaf of the path to read.</summary>
public sealed record SessionPathPayload
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("branch_leaf")] public string? BranchLeaf { get; init; }
}

/// <summary><c>session-tree::messages</c> answer.</summary>
public sealed record SessionMessagesResult
{
    [JsonPropertyName("messages")] public IReadOnlyList<SessionMessageRow> Messages { get; init; } = [];
}

/// <summary><c>session-tree::export_html</c> answer.</summary>
public sealed record SessionHtmlResult
{
    [JsonPropertyName("html")] public required string Html { get; init; }
}

/// <summary><c>session-tree::list</c>.</summary>
public sealed record SessionListPayload
{
    [JsonPropertyName("limit")] public int? Limit { get; init; }
    [JsonPropertyName("offset")] public int? Offset { get; init; }
    [JsonPropertyName("order")] public string? Order { get; init; }
}

/// <summary><c>session-tree::fork</c>.</summary>
public sealed record SessionForkPayload
{
    [JsonPropertyName("source_session_id")] public string? SourceSessionId { get; init; }
    [JsonPropertyName("from_entry_id")] public string? FromEntryId { get; init; }

    public (string Source, string From) Validate() =>
        (Require.Key(SourceSessionId, "source_session_id"), Require.NonEmpty(FromEntryId, "from_entry_id"));
}

/// <summary><c>session-tree::clone</c>.</summary>
public sealed record SessionClonePayload
{
    [JsonPropertyName("source_session_id")] public string? SourceSessionId { get; init; }
}

/// <summary><c>session-tree::compact</c>: <c>tokens_before</c> defaults to 0, <c>parent_id</c> to the active leaf.</summary>
public sealed record SessionCompactPayload
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("summary")] public string? Summary { get; init; }
    [JsonPropertyName("tokens_before")] public long? TokensBefore { get; init; }
    [JsonPropertyName("details")] public CompactionDetails? Details { get; init; }
    [JsonPropertyName("parent_id")] public string? ParentId { get; init; }
    [JsonPropertyName("tail_start_id")] public string? TailStartId { get; init; }
}

/// <summary><c>session-tree::compactions</c> answer.</summary>
public sealed record SessionCompactionsResult
{
    [JsonPropertyName("entries")] public IReadOnlyList<CompactionRow> Entries { get; init; } = [];
}

/// <summary><c>session-tree::append_synthetic</c>: <c>metadata</c> is accepted and not stored, as in the original.</summary>
public sealed record SyntheticAppendPayload
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("text")] public string? Text { get; init; }
    [JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }
    [JsonPropertyName("parent_id")] public string? ParentId { get; init; }
}

/// <summary><c>session-tree::update_part</c>.</summary>
public sealed record UpdatePartPayload
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("entry_id")] public string? EntryId { get; init; }
    [JsonPropertyName("output")] public string? Output { get; init; }
    [JsonPropertyName("compacted_at")] public JsonElement? CompactedAt { get; init; }
}

/// <summary><c>session-tree::update_parts</c>.</summary>
public sealed record UpdatePartsPayload
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("items")] public IReadOnlyList<PartUpdate>? Items { get; init; }
}

/// <summary><c>session-tree::update_parts</c> answer.</summary>
public sealed record UpdatePartsResult
{
    [JsonPropertyName("updated")] public int Updated { get; init; }
}

/// <summary><c>session-tree::reconcile</c>.</summary>
public sealed record ReconcilePayload
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("state_snapshot")] public IReadOnlyList<AgentMessage>? StateSnapshot { get; init; }
}

/// <summary><c>session-inbox::peek</c> answer.</summary>
public sealed record InboxPeekResult
{
    [JsonPropertyName("items")] public IReadOnlyList<AgentMessage> Items { get; init; } = [];
}
