using Harness.Validation;

namespace Harness.Sessions;

/// <summary>
/// The session-manager surface (C4 console) on the same grain and stored row as the session tree: metadata, status,
/// draft, custom entries and the paginated transcript. Attachments are in <c>SessionGrain.Attachments.cs</c>.
/// </summary>
public sealed partial class SessionGrain : ISessionManagerGrain
{
    public Task<ManagedSessionMeta?> GetMeta() => Task.FromResult(S.Created && S.Meta is not null ? ManagedView() : null);

    public async Task<ManagedEnsureResult> EnsureManaged(SessionMetaUpdate fields)
    {
        if (S.Created)
        {
            return new ManagedEnsureResult { SessionId = SessionId, Meta = ManagedView(), Created = false };
        }
        var now = Now;
        S.Created = true;
        S.Meta = new SessionMeta
        {
            SessionId = SessionId, DisplayName = fields.Title, Description = fields.Description, Metadata = fields.Metadata,
            Status = SessionStatuses.Idle, CreatedAt = now, UpdatedAt = now,
        };
        await PersistAsync();
        await ReportAsync(writeNow: true);
        PublishCreated();
        return new ManagedEnsureResult { SessionId = SessionId, Meta = ManagedView(), Created = true };
    }

    public async Task<ManagedSessionMeta> SetMeta(SessionMetaUpdate fields)
    {
        var meta = RequireManaged();
        if (fields.IsEmpty)
        {
            return ManagedView();
        }
        await CommitAsync(Now, () => S.Meta = meta with
        {
            DisplayName = fields.Title ?? meta.DisplayName,
            Description = fields.Description ?? meta.Description,
            Metadata = fields.Metadata ?? meta.Metadata,
        });
        PublishMetaUpdated();
        return ManagedView();
    }

    public async Task<DraftResult> SetDraft(string? draft, IReadOnlyList<string>? attachmentIds)
    {
        var meta = RequireManaged();
        var parked = meta.DraftAttachmentIds;
        if (attachmentIds is not null)
        {
            var ids = new List<string>();
            for (var i = 0; i < attachmentIds.Count; i++)
            {
                var id = Require.NonEmpty(attachmentIds[i], $"attachment_ids[{i}]");
                if (FindAttachment(id) is null)
                {
                    throw new PayloadValidationException($"attachment_ids[{i}]", $"unknown attachment '{id}' (store it with session::put-attachment first)");
                }
                if (!ids.Contains(id))
                {
                    ids.Add(id);
                }
            }
            parked = ids.Count == 0 ? null : ids;
        }
        // Keystroke cadence: no updated_at bump, no index report.
        S.Meta = meta with { Draft = string.IsNullOrEmpty(draft) ? null : draft, DraftAttachmentIds = parked };
        await PersistAsync();
        return new DraftResult { Draft = S.Meta.Draft, Attachments = DraftAttachments() };
    }

    public async Task<StatusChangeResult> SetStatus(string status, string? reason)
    {
        Require.OneOf(status, "status", SessionStatuses.All);
        var meta = RequireManaged();
        var previous = meta.Status ?? SessionStatuses.Idle;
        if (previous == status)
        {
            return new StatusChangeResult { Status = status, PreviousStatus = previous };
        }
        await CommitAsync(Now, () => S.Meta = meta with { Status = status, StatusReason = status == SessionStatuses.Error ? reason : null });
        PublishStatusChanged(previous);
        return new StatusChangeResult { Status = status, PreviousStatus = previous, Changed = true };
    }

    public async Task<bool> Delete()
    {
        if (!S.Created)
        {
            return false;
        }
        var attachments = S.Attachments.ToList();
        await state.ClearStateAsync();
        state.State = new SessionGrainState();
        _index = null;
        _leases.Clear();
        await SessionDirectory.ShardOf(GrainFactory, SessionId).Remove(SessionId);
        PublishDeleted();
        foreach (var attachment in attachments)
        {
            await Blob(attachment.AttachmentId).Clear();
        }
        return true;
    }

    public async Task<ManagedAppendResult> AppendEntry(ManagedAppendRequest request)
    {
        request.Validate();
        RequireManaged();
        if (request.EntryId is not null && Index.TryGetValue(request.EntryId, out var existing))
        {
            return new ManagedAppendResult { EntryId = existing.Id, ParentId = existing.ParentId, Timestamp = existing.Timestamp };
        }
        if (request.ParentId is not null && !Index.ContainsKey(request.ParentId))
        {
            throw new PayloadValidationException("parent_id", $"unknown entry '{request.ParentId}'");
        }
        var now = Now;
        var parent = request.ParentId ?? S.LeafId;
        var entry = request.Message is { } message
            ? new SessionEntry { Id = request.EntryId ?? NewEntryId(), ParentId = parent, Message = message, Timestamp = now }
            : CustomEntry(request.EntryId ?? NewEntryId(), parent, request.Custom!, now);
        await CommitAsync(now, () =>
        {
            Add(entry);
            S.LeafId = entry.Id;
        });
        PublishAdded([entry]);
        return new ManagedAppendResult { EntryId = entry.Id, ParentId = entry.ParentId, Timestamp = entry.Timestamp };
    }

    public Task<TranscriptPage> Transcript(TranscriptPageRequest request)
    {
        RequireManaged();
        var limit = request.Limit ?? TranscriptPageRequest.DefaultLimit;
        if (limit < 1)
        {
            throw new PayloadValidationException("limit", "must be at least 1");
        }
        limit = Math.Min(limit, TranscriptPageRequest.MaxLimit);
        var includeCustom = request.IncludeCustom ?? false;
        var rows = ActivePath().Where(e => e.Kind == SessionEntryKinds.Message ? e.Message is not null : includeCustom).ToList();
        var start = 0;
        if (request.Cursor is { } cursor)
        {
            var after = TranscriptCursor.EntryId(cursor);
            var at = rows.FindIndex(e => e.Id == after);
            if (at < 0)
            {
                throw new PayloadValidationException("cursor", "names an entry that is not on the active path any more (read again from the start)");
            }
            start = at + 1;
        }
        var stripImages = request.IncludeImageData == false;
        var page = rows.Skip(start).Take(limit).Select(e => TranscriptRow(e, stripImages)).ToList();
        var more = start + page.Count < rows.Count;
        return Task.FromResult(new TranscriptPage { Messages = page, NextCursor = more ? TranscriptCursor.After(page[^1].EntryId) : null });
    }

    /// <summary>
    /// A custom entry; a console <c>compaction</c> record with a summary becomes a compaction entry (data kept verbatim),
    /// so the next turn is sent summary + tail exactly as after a session-tree compaction.
    /// </summary>
    private SessionEntry CustomEntry(string id, string? parent, CustomEntryPayload custom, long now)
    {
        var data = custom.Data;
        if (custom.CustomType == SessionEntryKinds.Compaction && data is { ValueKind: JsonValueKind.Object } d
            && d.TryGetProperty("summary", out var summary) && summary.ValueKind == JsonValueKind.String)
        {
            var tail = d.TryGetProperty("tail_start_entry_id", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var onPath = tail is not null && PathTo(parent).Any(e => e.Id == tail);
            return new SessionEntry
            {
                Id = id, ParentId = parent, Kind = SessionEntryKinds.Compaction, Summary = summary.GetString(),
                TailStartId = onPath ? tail : null,
                TokensBefore = d.TryGetProperty("tokens_before", out var tb) && tb.TryGetInt64(out var tokens) ? tokens : 0,
                Details = new CompactionDetails(), CustomType = custom.CustomType, Data = data, Timestamp = now,
            };
        }
        return new SessionEntry { Id = id, ParentId = parent, Kind = SessionEntryKinds.Custom, CustomType = custom.CustomType, Data = data, Timestamp = now };
    }

    /// <summary>A path entry as a transcript row: messages as they are; bookkeeping (custom, compaction, branch summary) as <c>custom</c>.</summary>
    private static TranscriptItem TranscriptRow(SessionEntry entry, bool stripImages)
    {
        if (entry.Kind == SessionEntryKinds.Message)
        {
            var message = entry.Message!;
            if (stripImages && message.Content.Any(LinkedImage))
            {
                message = message with { Content = [.. message.Content.Select(c => LinkedImage(c) ? c with { Data = "" } : c)] };
            }
            return new TranscriptItem { EntryId = entry.Id, Message = message };
        }
        var data = entry.Data ?? JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["summary"] = entry.Summary,
            ["tail_start_entry_id"] = entry.TailStartId,
            ["tokens_before"] = entry.TokensBefore ?? 0,
            ["from_id"] = entry.FromId,
            ["timestamp"] = entry.Timestamp,
        });
        return new TranscriptItem { EntryId = entry.Id, Custom = new CustomEntryPayload { CustomType = entry.CustomType ?? entry.Kind, Data = data } };
    }

    /// <summary>An inline image whose original is stored: a reader that opted out gets it as a reference.</summary>
    private static bool LinkedImage(ContentBlock block) => block.Type == ContentTypes.Image && block.AttachmentId is not null;

    private ManagedSessionMeta ManagedView()
    {
        var meta = S.Meta!;
        var drafted = DraftAttachments();
        return new ManagedSessionMeta
        {
            SessionId = SessionId, Title = meta.DisplayName ?? "", Description = meta.Description ?? "",
            Status = meta.Status ?? SessionStatuses.Idle, StatusReason = meta.StatusReason, Metadata = meta.Metadata,
            Draft = meta.Draft, DraftAttachments = drafted.Count == 0 ? null : drafted,
            CreatedAt = meta.CreatedAt, UpdatedAt = meta.UpdatedAt, MessageCount = MessageCount(), Cwd = meta.Cwd,
        };
    }

    private List<AttachmentMeta> DraftAttachments() =>
        [.. (S.Meta?.DraftAttachmentIds ?? []).Select(FindAttachment).OfType<AttachmentMeta>()];

    private int MessageCount() => S.Entries.Count(e => e.Kind == SessionEntryKinds.Message);

    private SessionMeta RequireManaged() =>
        S.Created && S.Meta is not null ? S.Meta : throw new SessionException(ManagedErrorKinds.NotFound, $"session not found: {SessionId}");
}
