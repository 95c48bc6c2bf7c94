namespace Harness.Sessions;

/// <summary>
/// The session-manager surface of the C4 console (<c>session::*</c>) over the same session grain as
/// <see cref="ISessionGrain"/> (same key, same activation, same stored row): metadata, status, draft, custom entries,
/// the paginated transcript and attachments. Unknown sessions raise <see cref="SessionException"/> with a
/// <c>session/…</c> kind (<see cref="ManagedErrorKinds"/>), except the reads that answer null.
/// </summary>
public interface ISessionManagerGrain : IGrainWithStringKey
{
    /// <summary><c>session::get</c>: null when the session does not exist.</summary>
    Task<ManagedSessionMeta?> GetMeta();

    /// <summary><c>session::ensure</c>: creates with title/description/metadata when missing; otherwise a pure read.</summary>
    Task<ManagedEnsureResult> EnsureManaged(SessionMetaUpdate fields);

    /// <summary><c>session::set-meta</c>: given fields replace the stored ones (an all-absent update changes nothing).</summary>
    Task<ManagedSessionMeta> SetMeta(SessionMetaUpdate fields);

    /// <summary>
    /// <c>session::set-draft</c>: parks (null/empty clears) the unsent text; <paramref name="attachmentIds"/> replaces the
    /// parked attachment list when given (deduplicated, in order; unknown ids are refused). Leaves updated_at alone.
    /// </summary>
    Task<DraftResult> SetDraft(string? draft, IReadOnlyList<string>? attachmentIds);

    /// <summary><c>session::set-status</c>: the same status is a no-op; <c>reason</c> is kept only with <c>error</c>.</summary>
    Task<StatusChangeResult> SetStatus(string status, string? reason);

    /// <summary><c>session::delete</c>: removes the tree, metadata, attachments and the index row; false when unknown.</summary>
    Task<bool> Delete();

    /// <summary><c>session::append</c>: one message or custom entry; an existing <c>entry_id</c> returns that entry unchanged.</summary>
    Task<ManagedAppendResult> AppendEntry(ManagedAppendRequest request);

    /// <summary><c>session::messages</c>: a page of the active path, oldest first.</summary>
    Task<TranscriptPage> Transcript(TranscriptPageRequest request);

    /// <summary><c>session::put-attachment</c>: stores the bytes in their own row, then the metadata with the session.</summary>
    Task<AttachmentStored> PutAttachment(string name, string mime, byte[] data);

    /// <summary><c>session::get-attachment</c>: null when the session or the attachment is unknown.</summary>
    Task<AttachmentRead?> GetAttachment(string attachmentId, bool includeData);

    /// <summary><c>session::delete-attachment</c>: false when absent; refused while a stored message references it.</summary>
    Task<bool> DeleteAttachment(string attachmentId);
}

/// <summary>Error kinds of the session-manager surface, as the C4 console matches them (<c>session/&lt;snake&gt;</c>).</summary>
public static class ManagedErrorKinds
{
    public const string NotFound = "session/not_found";
    public const string AttachmentTooLarge = "session/attachment_too_large";
    public const string AttachmentInUse = "session/attachment_in_use";
}
