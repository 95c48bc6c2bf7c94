using Harness.Validation;

namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>session::get</c> / <c>session::delete</c>: <c>{session_id}</c>.</summary>
public sealed record ManagedSessionRequest
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }

    public string Validate() => Require.Key(SessionId, "session_id");
}

/// <summary><c>session::get</c> answer (the reply is null when the session does not exist).</summary>
public sealed record ManagedGetResult
{
    [JsonPropertyName("meta")] public required Sessions.ManagedSessionMeta Meta { get; init; }
}

/// <summary><c>session::set-meta</c> answer.</summary>
public sealed record ManagedMetaResult
{
    [JsonPropertyName("meta")] public required Sessions.ManagedSessionMeta Meta { get; init; }
}

/// <summary><c>session::delete</c> / <c>session::delete-attachment</c> answer.</summary>
public sealed record DeletedResult
{
    [JsonPropertyName("deleted")] public bool Deleted { get; init; }
}

/// <summary><c>session::set-draft {session_id, draft?, attachment_ids?}</c>.</summary>
public sealed record SetDraftRequest
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("draft")] public string? Draft { get; init; }
    [JsonPropertyName("attachment_ids")] public IReadOnlyList<string>? AttachmentIds { get; init; }
}

/// <summary><c>session::set-status {session_id, status, reason?}</c>.</summary>
public sealed record SetStatusRequest
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
}

/// <summary><c>session::put-attachment {session_id, name, mime, data}</c> (data: standard base64).</summary>
public sealed record PutAttachmentRequest
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("mime")] public string? Mime { get; init; }
    [JsonPropertyName("data")] public string? Data { get; init; }
}

/// <summary><c>session::get-attachment {session_id, attachment_id, include_data?}</c> / <c>delete-attachment</c>.</summary>
public sealed record AttachmentRequest
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("attachment_id")] public string? AttachmentId { get; init; }
    [JsonPropertyName("include_data")] public bool? IncludeData { get; init; }

    public (string SessionId, string AttachmentId) Validate() => (Require.Key(SessionId, "session_id"), Require.NonEmpty(AttachmentId, "attachment_id"));
}
