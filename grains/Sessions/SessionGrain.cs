using Harness.Hosting;
using Harness.Validation;

namespace Harness.Sessions;

/// <inheritdoc cref="ISessionGrain"/>
[GrainType("session")]
public sealed class SessionGrain(
    [PersistentState("session", HarnessStorage.Name)] IPersistentState<SessionGrainState> state,
    TimeProvider time) : Grain, ISessionGrain
{
    private Dictionary<string, SessionEntry>? _index;

    private SessionGrainState S => state.State;

    private Dictionary<string, SessionEntry> Index => _index ??= S.Entries.ToDictionary(e => e.Id, StringComparer.Ordinal);

    private string SessionId => this.GetPrimaryKeyString();

    public async Task<bool> Ensure()
    {
        if (S.Created)
        {
            return false;
        }
        S.Created = true;
        await PersistAsync();
        return true;
    }

    public async Task<SessionAppendResult> AppendBatch(SessionAppendRequest request)
    {
        request.Validate();
        var parent = request.ParentId ?? S.LeafId;
        if (request.ParentId is not null && !Index.ContainsKey(request.ParentId))
        {
            throw new PayloadValidationException("parent_id", $"unknown entry '{request.ParentId}'");
        }
        var ids = new List<string>(request.Messages!.Count);
        var appended = 0;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < request.Messages.Count; i++)
        {
            var id = request.EntryIds?[i] ?? $"e-{Guid.NewGuid():N}";
            if (!Index.ContainsKey(id))
            {
                Add(new SessionEntry { Id = id, ParentId = parent, Message = request.Messages[i], Timestamp = now });
                appended++;
            }
            ids.Add(id);
            parent = id;
        }
        var changed = appended > 0 || S.LeafId != parent || !S.Created;
        S.LeafId = parent;
        S.Created = true;
        if (changed)
        {
            await PersistAsync();
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

    public async Task<SessionTreeView> Fork(string entryId)
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
        if (Index.TryGetValue(request.EntryId!, out var existing))
        {
            return existing;
        }
        if (request.TailStartId is not null && !ActivePath().Any(e => e.Id == request.TailStartId))
        {
            throw new PayloadValidationException("tail_start_id", $"'{request.TailStartId}' is not on the active path");
        }
        var entry = new SessionEntry
        {
            Id = request.EntryId!,
            ParentId = S.LeafId,
            Kind = SessionEntryKinds.Compaction,
            Summary = request.Summary,
            TailStartId = request.TailStartId,
            TokensBefore = request.TokensBefore,
            Timestamp = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        Add(entry);
        S.LeafId = entry.Id;
        await PersistAsync();
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
        await PersistAsync();
        return new InboxDrainResult { Items = items };
    }

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
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < items.Count; i++)
        {
            var entry = new SessionEntry { Id = $"{entryIdPrefix}-{i}", ParentId = S.LeafId, Message = items[i], Timestamp = now };
            Add(entry);
            S.LeafId = entry.Id;
        }
        await PersistAsync();
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
    private List<SessionEntry> ActivePath()
    {
        var path = new List<SessionEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var id = S.LeafId; id is not null && Index.TryGetValue(id, out var entry) && seen.Add(id); id = entry.ParentId)
        {
            path.Add(entry);
        }
        path.Reverse();
        return path;
    }
}
