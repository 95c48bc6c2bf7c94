using Harness.Bridge.Functions.Payloads;
using Harness.Sessions;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>
/// The session-manager surface the newest console (C4) calls (console-and-data §1.6 "Sessions"), over the same session
/// grains as <c>session-tree::*</c> (<see cref="ISessionManagerGrain"/> is the session grain under another interface).
/// A <see cref="SessionException"/> travels as an error coded by its kind (<c>session/not_found</c>,
/// <c>session/attachment_too_large</c>, <c>session/attachment_in_use</c>); bad input is <c>invalid_payload</c>.
/// </summary>
public sealed class SessionManagerBridgeFunctions(IGrainFactory grains) : IBridgeFunctionSource
{
    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return Function<ManagedSessionListRequest, ManagedSessionListResult>(
            "session::list",
            "Sessions as SessionMeta rows (title, description, status, metadata, message_count), order updated_desc (default) | created_desc | created_asc, filtered by status and metadata subset, paged by limit (default 50, at most 500) and next_cursor.",
            request => ManagedSessionListing.ListAsync(grains, request),
            BridgeSchemas.For<ManagedSessionListRequest>().Enum("order", ManagedSessionListing.Orders).Enum("status", SessionStatuses.All));

        yield return Function<ManagedSessionRequest, ManagedGetResult?>(
            "session::get",
            "{meta} of one session (with its parked draft and draft_attachments), or null when it does not exist.",
            async request => await Manager(request.Validate()).GetMeta() is { } meta ? new ManagedGetResult { Meta = meta } : null,
            Schema<ManagedSessionRequest>("session_id"),
            BridgeSchemas.OrNull<ManagedGetResult>());

        yield return Function<SessionMetaUpdate, ManagedEnsureResult>(
            "session::ensure",
            "Create the session with this id (title, description, metadata, status idle) when missing; for an existing id a pure read. created tells which.",
            request => Manager(ValidateMeta(request)).EnsureManaged(request),
            Schema<SessionMetaUpdate>("session_id"));

        yield return Function<SessionMetaUpdate, ManagedMetaResult>(
            "session::set-meta",
            "Replace the given title / description / metadata (metadata wholesale); nothing given changes nothing.",
            async request => new ManagedMetaResult { Meta = await Manager(ValidateMeta(request)).SetMeta(request) },
            Schema<SessionMetaUpdate>("session_id"));

        yield return Function<SetDraftRequest, DraftResult>(
            "session::set-draft",
            "Park (or clear, with null/empty draft) the unsent composer text; attachment_ids, when given, replaces the parked attachments (stored ids only). updated_at is left alone.",
            request => Manager(Require.Key(request.SessionId, "session_id")).SetDraft(request.Draft, request.AttachmentIds),
            Schema<SetDraftRequest>("session_id"));

        yield return Function<SetStatusRequest, StatusChangeResult>(
            "session::set-status",
            "Set idle | working | done | error (reason kept with error only); the same status is a no-op. Answers {status, previous_status, changed}.",
            request =>
            {
                var id = Require.Key(request.SessionId, "session_id");
                return Manager(id).SetStatus(Require.OneOf(request.Status, "status", SessionStatuses.All), request.Reason);
            },
            Schema<SetStatusRequest>("session_id", "status").Enum("status", SessionStatuses.All));

        yield return Function<ManagedSessionRequest, DeletedResult>(
            "session::delete",
            "Delete the session: its tree, metadata, attachments and list row. deleted:false when it did not exist.",
            async request => new DeletedResult { Deleted = await Manager(request.Validate()).Delete() },
            Schema<ManagedSessionRequest>("session_id"));

        yield return Function<ManagedAppendRequest, ManagedAppendResult>(
            "session::append",
            "Append one entry under parent_id (default: the active leaf), which becomes the active leaf: a message, or a custom {custom_type, data} entry. Idempotent on entry_id. A compaction entry {summary, tail_start_entry_id, tokens_before} makes later turns see summary + tail.",
            request => Manager(request.Validate()).AppendEntry(request),
            AppendSchema());

        yield return Function<TranscriptPageRequest, TranscriptPage>(
            "session::messages",
            "A page of the active path, oldest first: [{entry_id, message}] (with include_custom also [{entry_id, custom:{custom_type, data}}] in place). limit default 50, at most 500; next_cursor continues. include_image_data:false empties the data of images that have a stored original.",
            request => Manager(Require.Key(request.SessionId, "session_id")).Transcript(request),
            Schema<TranscriptPageRequest>("session_id"));

        yield return Function<PutAttachmentRequest, AttachmentStored>(
            "session::put-attachment",
            "Store a file's original bytes (standard base64 in data) with the session; answers its metadata and the file content block to put on the message. Over Harness:Sessions:Attachments:MaxBytes: session/attachment_too_large.",
            request =>
            {
                var id = Require.Key(request.SessionId, "session_id");
                var name = Require.NonEmpty(request.Name, "name");
                var data = request.Data ?? throw new PayloadValidationException("data", "is required (standard base64)");
                var bytes = new byte[data.Length * 3 / 4 + 3];
                if (!Convert.TryFromBase64String(data, bytes, out var written))
                {
                    throw new PayloadValidationException("data", "must be standard (padded) base64");
                }
                return Manager(id).PutAttachment(name, request.Mime ?? "", bytes[..written]);
            },
            Schema<PutAttachmentRequest>("session_id", "name", "mime", "data"));

        yield return Function<AttachmentRequest, AttachmentRead?>(
            "session::get-attachment",
            "A stored attachment's metadata and bytes (data, base64; null with include_data:false), or null when the session or attachment is unknown.",
            request =>
            {
                var (id, attachment) = request.Validate();
                return Manager(id).GetAttachment(attachment, request.IncludeData ?? true);
            },
            Schema<AttachmentRequest>("session_id", "attachment_id"),
            BridgeSchemas.OrNull<AttachmentRead>());

        yield return Function<AttachmentRequest, DeletedResult>(
            "session::delete-attachment",
            "Drop a stored attachment no stored message references (and from the parked draft); deleted:false when absent, session/attachment_in_use when referenced.",
            async request =>
            {
                var (id, attachment) = request.Validate();
                return new DeletedResult { Deleted = await Manager(id).DeleteAttachment(attachment) };
            },
            AttachmentDeleteSchema());
    }

    private static string ValidateMeta(SessionMetaUpdate request)
    {
        var id = Require.Key(request.SessionId, "session_id");
        if (request.Metadata is { ValueKind: not JsonValueKind.Object })
        {
            throw new PayloadValidationException("metadata", "must be an object");
        }
        return id;
    }

    private static BridgeFunctionDescriptor Function<TRequest, TResponse>(
        string id, string description, Func<TRequest, Task<TResponse>> handler, JsonNode? requestFormat = null, JsonNode? responseFormat = null)
        where TRequest : class =>
        BridgeFunction.Create<TRequest, TResponse>(id, description, async (request, _, _) =>
        {
            try
            {
                return await handler(request);
            }
            catch (SessionException ex)
            {
                throw new BridgeFunctionException(ex.Kind, ex.Detail, ex);
            }
        }, requestFormat, responseFormat);

    private static JsonNode Schema<T>(params string[] required) => BridgeSchemas.For<T>().Require(required);

    /// <summary>Exactly one of <c>message</c> or <c>custom</c>.</summary>
    private static JsonNode AppendSchema()
    {
        var schema = Schema<ManagedAppendRequest>("session_id");
        schema["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("message") }, new JsonObject { ["required"] = new JsonArray("custom") });
        return schema;
    }

    private static JsonNode AttachmentDeleteSchema()
    {
        var schema = Schema<AttachmentRequest>("session_id", "attachment_id");
        (schema["properties"] as JsonObject)?.Remove("include_data");
        return schema;
    }

    private ISessionManagerGrain Manager(string sessionId) => grains.GetGrain<ISessionManagerGrain>(sessionId);
}
