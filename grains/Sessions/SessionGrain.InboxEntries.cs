using Harness.Validation;

namespace Harness.Sessions;

/// <summary>Inbox messages by id (the C4 console's queued messages: list, edit, unqueue) over the same inbox queues.</summary>
public sealed partial class SessionGrain
{
    public async Task<InboxEntry> QueueInboxEntry(string name, string entryId, AgentMessage message, long queuedAt)
    {
        Require.NonEmpty(entryId, "entry_id");
        if (Entries(name).FirstOrDefault(e => e.EntryId == entryId) is { } existing)
        {
            return existing;
        }
        new InboxPushRequest { SessionId = SessionId, Name = name, Message = message }.Validate();
        Queue(name).Add(message);
        EntryMeta(name).Add(new InboxEntryMeta { EntryId = entryId, QueuedAt = queuedAt });
        await PersistAsync();
        return new InboxEntry { EntryId = entryId, Message = message, QueuedAt = queuedAt };
    }

    public Task<IReadOnlyList<InboxEntry>> InboxEntries(string name) => Task.FromResult<IReadOnlyList<InboxEntry>>(Entries(name));

    public async Task<bool> RemoveInboxEntry(string name, string entryId)
    {
        var at = IndexOf(name, entryId);
        if (at < 0)
        {
            return false;
        }
        Queue(name).RemoveAt(at);
        EntryMeta(name).RemoveAt(at);
        await PersistAsync();
        return true;
    }

    public async Task<bool> ReplaceInboxEntry(string name, string entryId, AgentMessage message)
    {
        new InboxPushRequest { SessionId = SessionId, Name = name, Message = message }.Validate();
        var at = IndexOf(name, entryId);
        if (at < 0)
        {
            return false;
        }
        Queue(name)[at] = message;
        await PersistAsync();
        return true;
    }

    private int IndexOf(string name, string entryId) => Entries(name).FindIndex(e => e.EntryId == entryId);

    private List<InboxEntry> Entries(string name)
    {
        var queue = Queue(Require.OneOf(name, "name", InboxNames.All));
        var meta = EntryMeta(name);
        // Messages pushed without an id (session-inbox::push) get one made up on first read (kept from the next save on).
        for (var i = meta.Count; i < queue.Count; i++)
        {
            meta.Add(new InboxEntryMeta { EntryId = $"{name}-{Guid.NewGuid():N}", QueuedAt = Now });
        }
        return [.. queue.Select((m, i) => new InboxEntry { EntryId = meta[i].EntryId, Message = m, QueuedAt = meta[i].QueuedAt })];
    }

    private List<InboxEntryMeta> EntryMeta(string name)
    {
        if (!S.InboxEntries.TryGetValue(name, out var meta))
        {
            S.InboxEntries[name] = meta = [];
        }
        return meta;
    }
}
