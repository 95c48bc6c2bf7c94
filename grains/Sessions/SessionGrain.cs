using Harness.Hosting;
using Harness.Validation;

namespace Harness.Sessions;

/// <inheritdoc cref="ISessionGrain"/>
/// <remarks>The <c>session</c> worker's other functions are in <c>SessionGrain.Tree.cs</c>.</remarks>
[GrainType("session")]
public sealed partial class SessionGrain(
    [PersistentState("session", HarnessStorage.Name)] IPersistentState<SessionGrainState> state,
    TimeProvider time,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain
{
    private Dictionary<string, SessionEntry>? _index;

    private SessionGrainState S => state.State;

    private Dictionary<string, SessionEntry> Index => _index ??= S.Entries.ToDictionary(e => e.Id, StringComparer.Ordinal);

    private string SessionId => this.GetPrimaryKeyString();

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Created)
        {
            // Rows from before metadata existed get it here (stored with the next write); the directory gets the row
            // again, which also heals an update it lost with a crashed silo.
            S.Meta ??= new SessionMeta { SessionId = SessionId, CreatedAt = S.Entries.FirstOrDefault()?.Timestamp ?? Now, UpdatedAt = S.Entries.LastOrDefault()?.Timestamp ?? Now };
            await ReportAsync(writeNow: false);
        }
    }

    public Task<bool> Ensure() => Create(new SessionCreateRequest());

    public async Task<bool> Create(SessionCreateRequest request)
    {
        if (S.Created)
        {
            return false;
        }
        var now = Now;
        S.Created = true;
        S.Meta = new SessionMeta
        {
            SessionId = SessionId, DisplayName = request.DisplayName, Cwd = request.Cwd,
            CreatedAt = now, UpdatedAt = now, BranchCount = request.BranchCount,
        };
        await PersistAsync();
        await ReportAsync(writeNow: true);
        PublishCreated();
        return true;
    }

    public Task<SessionMeta?> Meta() => Task.FromResult(S.Created ? S.Meta : null);

    public async Task<SessionAppendResult> AppendBatch(SessionAppendRequest request)
    {
        request.Validate();
        var parent = request.ParentId ?? S.LeafId;
        if (request.ParentId is not null && !Index.ContainsKey(request.ParentId))
        {
            throw new PayloadValidationException("parent_id", $"unknown entry '{request.ParentId}'");
        }
        var ids = new List<string>(request.Messages!.Count);
        var added = new List<SessionEntry>();
        var appended = 0;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < request.Messages.Count; i++)
        {
            var id = request.EntryIds?[i] ?? $"e-{Guid.NewGuid():N}";
            if (!Index.ContainsKey(id))
            {
                var entry = new SessionEntry { Id = id, ParentId = parent, Message = request.Messages[i], Timestamp = now };
                Add(entry);
                added.Add(entry);
                appended++;
            }
            ids.Add(id);
            parent = id;
        }
        var created = !S.Created;
        // A replay (every id already held, no parent named) leaves the leaf where it is: moving it back to the
        // replay's last id would cut off what came after it. A steering_check re-run after a crash or a lost write
        // replays its round after it had moved the steering message in, and that message fell off the active path.
        var leaf = appended == 0 && request.ParentId is null && S.LeafId is not null ? S.LeafId : parent;
        var changed = appended > 0 || S.LeafId != leaf || created;
        S.LeafId = leaf;
        if (created)
        {
            // An append to a session nobody created makes it, as ensure would.
            S.Created = true;
            S.Meta = new SessionMeta { SessionId = SessionId, CreatedAt = now, UpdatedAt = now };
        }
        if (changed)
        {
            Touch(now);
            await PersistAsync();
            // A session made by a turn's first append is indexed write-behind like any update (one shard write per
            // second for all the sessions created meanwhile, not one each): its turn touches it again, and a row a
            // crash took with the shard heals on the session's next change or activation.
            await ReportAsync(writeNow: false);
            if (created)
            {
                PublishCreated();
            }
            PublishAdded(added);
        }
        return new SessionAppendResult { SessionId = SessionId, EntryIds = ids, Appended = appended, LeafId = S.LeafId };
    }

    public Task<SessionWindow> Messages()
    {
        var path = ActivePath();
        var compactionAt = path.FindLastIndex(e => e.Kind == SessionEntryKinds.Compaction);
        var start = 0;
        SessionEntry? compaction = null;
        if (compactionAt >= 0)
        {
            compaction = path[compactionAt];
            var tail = compaction.TailStartId is null ? -1 : path.FindIndex(e => e.Id == compaction.TailStartId);
            start = tail >= 0 && tail < compactionAt ? tail : compactionAt + 1;
        }
        var window = path.Skip(start).Where(e => e.Kind == SessionEntryKinds.Message && e.Message is not null).ToList();
        return Task.FromResult(new SessionWindow
        {
            SessionId = SessionId,
            Messages = [.. window.Select(e => e.Message!)],
            EntryIds = [.. window.Select(e => e.Id)],
            Summary = compaction?.Summary,
            CompactionEntryId = compaction?.Id,
        });
    }

    public Task<SessionTreeView> Entries() =>
        Task.FromResult(new SessionTreeView { SessionId = SessionId, LeafId = S.LeafId, Entries = [.. S.Entries] });

    public async Task<SessionTreeView> MoveLeaf(string entryId)
    {
        Require.NonEmpty(entryId, "entry_id");
        if (!Index.ContainsKey(entryId))
        {
            throw new PayloadValidationException("entry_id", $"unknown entry '{entryId}'");
        }
        S.LeafId = entryId;
        await PersistAsync();
        return await Entries();
    }

    public async Task<SessionEntry> AddCompaction(CompactionRequest request)
    {
        request.Validate();
        if (request.EntryId is not null && Index.TryGetValue(request.EntryId, out var existing))
        {
            return existing;
        }
        if (request.ParentId is not null && !Index.ContainsKey(request.ParentId))
        {
            throw new PayloadValidationException("parent_id", $"unknown entry '{request.ParentId}'");
        }
        var parent = request.ParentId ?? S.LeafId;
        if (request.TailStartId is not null && !PathTo(parent).Any(e => e.Id == request.TailStartId))
        {
            throw new PayloadValidationException("tail_start_id", $"'{request.TailStartId}' is not on the compacted path");
        }
        var now = Now;
        var entry = new SessionEntry
        {
            Id = request.EntryId ?? NewEntryId(),
            ParentId = parent,
            Kind = SessionEntryKinds.Compaction,
            Summary = request.Summary,
            TailStartId = request.TailStartId,
            TokensBefore = request.TokensBefore ?? 0,
            Details = request.Details ?? new CompactionDetails(),
            Timestamp = now,
        };
        await CommitAsync(now, () =>
        {
            Add(entry);
            S.LeafId = entry.Id;
        });
        PublishAdded([entry]);
        return entry;
    }

    public async Task<int> PushInbox(string name, AgentMessage message)
    {
        new InboxPushRequest { SessionId = SessionId, Name = name, Message = message }.Validate();
        var queue = Queue(name);
        queue.Add(message);
        await PersistAsync();
        return queue.Count;
    }

    public async Task<InboxDrainResult> DrainInbox(string name)
    {
        Require.OneOf(name, "name", InboxNames.All);
        var queue = Queue(name);
        if (queue.Count == 0)
        {
            return new InboxDrainResult();
        }
        var items = queue.ToList();
        queue.Clear();
        EntryMeta(name).Clear();
        await PersistAsync();
        return new InboxDrainResult { Items = items };
    }

    public Task<IReadOnlyList<AgentMessage>> PeekInbox(string name) =>
        Task.FromResult<IReadOnlyList<AgentMessage>>([.. Queue(Require.OneOf(name, "name", InboxNames.All))]);

    public Task<int> InboxCount(string name) => Task.FromResult(Queue(Require.OneOf(name, "name", InboxNames.All)).Count);

    public async Task<InboxDrainResult> MoveInboxToTree(string name, string entryIdPrefix)
    {
        Require.OneOf(name, "name", InboxNames.All);
        Require.NonEmpty(entryIdPrefix, "entry_id_prefix");
        var moved = S.Entries.Where(e => e.Id.StartsWith(entryIdPrefix + "-", StringComparison.Ordinal) && e.Message is not null).ToList();
        if (moved.Count > 0)
        {
            return new InboxDrainResult { Items = [.. moved.Select(e => e.Message!)] };
        }
        var queue = Queue(name);
        if (queue.Count == 0)
        {
            return new InboxDrainResult();
        }
        var items = queue.ToList();
        queue.Clear();
        EntryMeta(name).Clear();
        var now = Now;
        var added = new List<SessionEntry>();
        await CommitAsync(now, () =>
        {
            S.Created = true;
            S.Meta ??= new SessionMeta { SessionId = SessionId, CreatedAt = now, UpdatedAt = now };
            for (var i = 0; i < items.Count; i++)
            {
                var entry = new SessionEntry { Id = $"{entryIdPrefix}-{i}", ParentId = S.LeafId, Message = items[i], Timestamp = now };
                Add(entry);
                added.Add(entry);
                S.LeafId = entry.Id;
            }
        });
        PublishAdded(added);
        return new InboxDrainResult { Items = items };
    }

    /// <summary>
    /// A failed write leaves entries in memory that storage lacks; they would make a retried append look like a
    /// duplicate and be skipped. Deactivate so the next call reloads what is really stored.
    /// </summary>
    private async Task PersistAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            _index = null;
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>Applies a change to the tree, refreshes <c>updated_at</c>, stores it and reports the new row.</summary>
    private async Task CommitAsync(long now, Action change)
    {
        change();
        Touch(now);
        await PersistAsync();
        await ReportAsync(writeNow: false);
    }

    private void Touch(long now)
    {
        if (S.Meta is not null)
        {
            S.Meta = S.Meta with { UpdatedAt = Math.Max(now, S.Meta.UpdatedAt) };
        }
    }

    /// <summary>
    /// Best effort, like the original's meta refresh: the tree is already stored; a missed report heals on the
    /// session's next change or activation.
    /// </summary>
    private async Task ReportAsync(bool writeNow)
    {
        if (S.Meta is null)
        {
            return;
        }
        try
        {
            await SessionDirectory.ShardOf(GrainFactory, SessionId).Report(ListRow(), writeNow);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "session {SessionId}: the session index was not updated", SessionId);
        }
    }

    private void Add(SessionEntry entry)
    {
        S.Entries.Add(entry);
        Index[entry.Id] = entry;
    }

    private List<AgentMessage> Queue(string name)
    {
        if (!S.Inbox.TryGetValue(name, out var queue))
        {
            S.Inbox[name] = queue = [];
        }
        return queue;
    }

    /// <summary>Entries from the root to the active leaf.</summary>
    private List<SessionEntry> ActivePath() => PathTo(S.LeafId);

    /// <summary>Entries from the root to <paramref name="leaf"/>.</summary>
    private List<SessionEntry> PathTo(string? leaf)
    {
        var path = new List<SessionEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var id = leaf; id is not null && Index.TryGetValue(id, out var entry) && seen.Add(id); id = entry.ParentId)
        {
            path.Add(entry);
        }
        path.Reverse();
        return path;
    }
}
