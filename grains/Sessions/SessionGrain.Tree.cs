using Harness.Validation;

namespace Harness.Sessions;

/// <summary>The <c>session</c> worker's reads, copies and rewrites of the tree (console-and-data §3.1).</summary>
public sealed partial class SessionGrain
{
    /// <summary>A fork whose path is longer than this gets one branch_summary entry instead of copies.</summary>
    public const int ForkSummaryThreshold = 50;

    private const int SummaryLength = 80;

    public Task<IReadOnlyList<SessionMessageRow>> PathMessages(string? branchLeaf) =>
        Task.FromResult<IReadOnlyList<SessionMessageRow>>(
        [
            .. PathFor(branchLeaf)
                .Where(e => e.Kind == SessionEntryKinds.Message && e.Message is not null)
                .Select(e => new SessionMessageRow { EntryId = e.Id, Message = e.Message! }),
        ]);

    public Task<string> ExportHtml(string? branchLeaf) => Task.FromResult(SessionHtml.Render(SessionId, PathFor(branchLeaf)));

    public async Task<string> ForkTo(string fromEntryId)
    {
        Require.NonEmpty(fromEntryId, "from_entry_id");
        var meta = RequireMeta();
        if (!Index.ContainsKey(fromEntryId))
        {
            throw SessionException.EntryNotFound(fromEntryId);
        }
        var path = PathTo(fromEntryId);
        var now = Now;
        List<SessionEntry> entries = path.Count > ForkSummaryThreshold
            ?
            [
                new SessionEntry
                {
                    Id = NewEntryId(),
                    Kind = SessionEntryKinds.BranchSummary,
                    Summary = $"Forked from session {SessionId} at entry {fromEntryId}: {path.Count} entries collapsed.",
                    FromId = fromEntryId,
                    Timestamp = now,
                },
            ]
            : Remap(path);
        return await SeedNewAsync(meta, "fork", entries, entries[^1].Id, now);
    }

    public async Task<string> CloneTo()
    {
        var meta = RequireMeta();
        var entries = Remap(S.Entries);
        var leafAt = S.LeafId is null ? -1 : S.Entries.FindIndex(e => e.Id == S.LeafId);
        return await SeedNewAsync(meta, "clone", entries, leafAt >= 0 ? entries[leafAt].Id : entries.LastOrDefault()?.Id, Now);
    }

    public async Task Seed(SessionSeed seed)
    {
        if (S.Created)
        {
            throw new InvalidOperationException($"session {SessionId} already exists; a fork or clone needs a fresh id");
        }
        S.Created = true;
        S.Meta = seed.Meta with { SessionId = SessionId };
        S.Entries = [.. seed.Entries];
        S.LeafId = seed.LeafId;
        _index = null;
        await PersistAsync();
        await ReportAsync(writeNow: true);
        PublishCreated();
    }

    public Task<IReadOnlyList<CompactionRow>> Compactions() =>
        Task.FromResult<IReadOnlyList<CompactionRow>>(
        [
            .. S.Entries
                .Where(e => e.Kind == SessionEntryKinds.Compaction)
                .OrderBy(e => e.Timestamp)
                .Select(e => new CompactionRow
                {
                    Id = e.Id, Summary = e.Summary ?? "", TokensBefore = e.TokensBefore ?? 0, TailStartId = e.TailStartId,
                    Details = e.Details ?? new CompactionDetails(), Timestamp = e.Timestamp,
                }),
        ]);

    public async Task<string> AppendSynthetic(string text, string? parentId)
    {
        Require.NonEmpty(text, "text");
        if (parentId is not null && !Index.ContainsKey(parentId))
        {
            throw new PayloadValidationException("parent_id", $"unknown entry '{parentId}'");
        }
        var now = Now;
        var entry = new SessionEntry { Id = NewEntryId(), ParentId = parentId, Message = AgentMessage.User(text, now), Timestamp = now };
        await CommitAsync(now, () =>
        {
            EnsureCreated(now);
            Add(entry);
            S.LeafId = entry.Id;
        });
        PublishAdded([entry]);
        return entry.Id;
    }

    public async Task<int> UpdateParts(IReadOnlyList<PartUpdate> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            (items[i] ?? throw new PayloadValidationException($"items[{i}]", "is required")).Validate($"items[{i}].");
        }
        var rewritten = new List<(int At, SessionEntry Entry)>();
        foreach (var item in items)
        {
            if (!Index.TryGetValue(item.EntryId!, out var target) || target.Kind != SessionEntryKinds.Message || target.Message?.Role != Roles.FunctionResult)
            {
                continue;
            }
            var message = target.Message with
            {
                Content = [ContentBlock.OfText(item.Output ?? PartUpdate.PrunedText)],
                Details = MergeCompactedAt(target.Message.Details, item.CompactedAt),
            };
            rewritten.Add((S.Entries.FindIndex(e => e.Id == target.Id), target with { Message = message }));
        }
        if (rewritten.Count == 0)
        {
            return 0;
        }
        await CommitAsync(Now, () =>
        {
            foreach (var (at, entry) in rewritten)
            {
                S.Entries[at] = entry;
                Index[entry.Id] = entry;
            }
        });
        PublishUpdated(rewritten.Select(r => r.Entry));
        return rewritten.Count;
    }

    public async Task<ReconcileResult> Reconcile(IReadOnlyList<AgentMessage> stateSnapshot)
    {
        for (var i = 0; i < stateSnapshot.Count; i++)
        {
            if (stateSnapshot[i] is null || string.IsNullOrEmpty(stateSnapshot[i].Role))
            {
                throw new PayloadValidationException($"state_snapshot[{i}].role", "is required");
            }
        }
        var before = (await PathMessages(null)).Count;
        var missing = stateSnapshot.Skip(before).ToList();
        if (missing.Count > 0)
        {
            // Appended under the active leaf, so a compaction at the tip stays on the path.
            await AppendBatch(new SessionAppendRequest { SessionId = SessionId, Messages = missing });
        }
        return new ReconcileResult { StateCount = stateSnapshot.Count, TreeCountBefore = before, TreeCountAfter = before + missing.Count, Repaired = missing.Count };
    }

    private readonly Dictionary<string, (string Nonce, DateTimeOffset Until)> _leases = new(StringComparer.Ordinal);

    public Task<bool> TryAcquireLease(string name, string nonce, TimeSpan ttl)
    {
        Require.NonEmpty(name, "name");
        Require.NonEmpty(nonce, "nonce");
        var now = time.GetUtcNow();
        if (_leases.TryGetValue(name, out var held) && held.Until > now && held.Nonce != nonce)
        {
            return Task.FromResult(false);
        }
        _leases[name] = (nonce, now + ttl);
        return Task.FromResult(true);
    }

    public Task ReleaseLease(string name, string nonce)
    {
        if (_leases.TryGetValue(name, out var held) && held.Nonce == nonce)
        {
            _leases.Remove(name);
        }
        return Task.CompletedTask;
    }

    /// <summary>The directory row: entry count and the summary of the last message entry.</summary>
    private SessionListRow ListRow()
    {
        var meta = S.Meta!;
        return new SessionListRow
        {
            SessionId = SessionId, CreatedAt = meta.CreatedAt, UpdatedAt = meta.UpdatedAt, EntryCount = S.Entries.Count,
            DisplayName = meta.DisplayName, Cwd = meta.Cwd, LastMessageSummary = LastMessageSummary(),
            Description = meta.Description, Status = meta.Status, StatusReason = meta.StatusReason, Metadata = meta.Metadata,
            MessageCount = MessageCount(),
        };
    }

    private string? LastMessageSummary()
    {
        var last = S.Entries.LastOrDefault(e => e.Kind == SessionEntryKinds.Message && e.Message is not null)?.Message;
        if (last is null || last.Role is not (Roles.User or Roles.Assistant))
        {
            return null;
        }
        var text = last.Content.FirstOrDefault(c => c.Type == ContentTypes.Text)?.Text;
        return text is null ? null : text.Length <= SummaryLength ? text : text[..SummaryLength];
    }

    private List<SessionEntry> PathFor(string? branchLeaf)
    {
        if (branchLeaf is null)
        {
            return ActivePath();
        }
        return Index.ContainsKey(branchLeaf) ? PathTo(branchLeaf) : throw SessionException.EntryNotFound(branchLeaf);
    }

    private SessionMeta RequireMeta() => S.Created && S.Meta is not null ? S.Meta : throw SessionException.SessionNotFound(SessionId);

    private void EnsureCreated(long now)
    {
        if (!S.Created)
        {
            S.Created = true;
            S.Meta = new SessionMeta { SessionId = SessionId, CreatedAt = now, UpdatedAt = now };
        }
    }

    /// <summary>Copies with new ids; parents re-mapped, a parent outside the copied set becomes none.</summary>
    private static List<SessionEntry> Remap(IReadOnlyList<SessionEntry> entries)
    {
        var ids = entries.ToDictionary(e => e.Id, _ => NewEntryId(), StringComparer.Ordinal);
        return
        [
            .. entries.Select(e => e with
            {
                Id = ids[e.Id],
                ParentId = e.ParentId is not null && ids.TryGetValue(e.ParentId, out var p) ? p : null,
                TailStartId = e.TailStartId is not null && ids.TryGetValue(e.TailStartId, out var t) ? t : e.TailStartId,
            }),
        ];
    }

    private async Task<string> SeedNewAsync(SessionMeta source, string suffix, List<SessionEntry> entries, string? leaf, long now)
    {
        var id = Guid.NewGuid().ToString();
        var meta = new SessionMeta
        {
            SessionId = id, DisplayName = source.DisplayName is null ? null : $"{source.DisplayName} ({suffix})", Cwd = source.Cwd,
            CreatedAt = now, UpdatedAt = now, BranchCount = 1,
        };
        await GrainFactory.GetGrain<ISessionGrain>(id).Seed(new SessionSeed { Meta = meta, Entries = entries, LeafId = leaf });
        return id;
    }

    private static string NewEntryId() => Guid.NewGuid().ToString();

    /// <summary><c>details</c> with <c>compacted_at</c> merged in (an object stays an object; anything else becomes one).</summary>
    private static JsonElement? MergeCompactedAt(JsonElement? details, JsonElement? compactedAt)
    {
        if (compactedAt is not { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } stamp)
        {
            return details;
        }
        var merged = details is { ValueKind: JsonValueKind.Object } d
            ? System.Text.Json.Nodes.JsonNode.Parse(d.GetRawText())!.AsObject()
            : new System.Text.Json.Nodes.JsonObject();
        merged["compacted_at"] = System.Text.Json.Nodes.JsonNode.Parse(stamp.GetRawText());
        return JsonSerializer.SerializeToElement(merged);
    }
}
