namespace Harness.Sessions;

/// <summary>
/// <c>session::ensure</c> / <c>session::set-meta</c> fields: each one given replaces the stored one; <c>metadata</c>
/// replaces wholesale.
/// </summary>
[GenerateSerializer]
public sealed record SessionMetaUpdate
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("title")] public string? Title { get; init; }
    [Id(2), JsonPropertyName("description")] public string? Description { get; init; }
    [Id(3), JsonPropertyName("metadata")] public JsonElement? Metadata { get; init; }

    public bool IsEmpty => Title is null && Description is null && Metadata is null;
}

/// <summary><c>session::ensure</c> answer.</summary>
[GenerateSerializer]
public sealed record ManagedEnsureResult
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("meta")] public required ManagedSessionMeta Meta { get; init; }
    [Id(2), JsonPropertyName("created")] public bool Created { get; init; }
}

/// <summary><c>session::set-status</c> answer.</summary>
[GenerateSerializer]
public sealed record StatusChangeResult
{
    [Id(0), JsonPropertyName("status")] public required string Status { get; init; }
    [Id(1), JsonPropertyName("previous_status")] public required string PreviousStatus { get; init; }
    [Id(2), JsonPropertyName("changed")] public bool Changed { get; init; }
}

/// <summary><c>session::set-draft</c> answer: what is parked after the write.</summary>
[GenerateSerializer]
public sealed record DraftResult
{
    [Id(0), JsonPropertyName("draft"), JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Draft { get; init; }

    [Id(1), JsonPropertyName("attachments")] public IReadOnlyList<AttachmentMeta> Attachments { get; init; } = [];
}
