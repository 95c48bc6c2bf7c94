using Harness.Messages;

namespace Harness.Sessions;

/// <summary>
/// The session tree and inboxes of one session (key = session id): entries with parent ids, an active leaf,
/// forks from any entry, idempotent appends by entry id, and the steering/followup queues.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary><c>session-tree::ensure</c>: creates the (empty) session if missing; true when it was created.</summary>
    Task<bool> Ensure();

    /// <summary><c>session-tree::append_batch</c>.</summary>
    Task<SessionAppendResult> AppendBatch(SessionAppendRequest request);

    /// <summary><c>session-tree::messages</c>: the active path as a provider window (latest compaction summary + tail).</summary>
    Task<SessionWindow> Messages();

    /// <summary><c>session-tree::entries</c>: the whole tree.</summary>
    Task<SessionTreeView> Entries();

    /// <summary><c>session-tree::fork</c>: makes <paramref name="entryId"/> the active leaf; later appends branch from it.</summary>
    Task<SessionTreeView> Fork(string entryId);

    /// <summary><c>session-tree::compact</c>: appends a compaction entry on the active path.</summary>
    Task<SessionEntry> AddCompaction(CompactionRequest request);

    /// <summary><c>session-inbox::push</c>; returns the queue depth.</summary>
    Task<int> PushInbox(string name, AgentMessage message);

    /// <summary><c>session-inbox::drain</c>: removes and returns every queued message of <paramref name="name"/>.</summary>
    Task<InboxDrainResult> DrainInbox(string name);

    /// <summary>Number of queued messages in inbox <paramref name="name"/>.</summary>
    Task<int> InboxCount(string name);

    /// <summary>
    /// Moves every queued message of <paramref name="name"/> onto the active path as entries
    /// <c>&lt;entryIdPrefix&gt;-0..n</c> in one write, so a crash can neither lose nor duplicate them. Called again with
    /// the same prefix it returns the messages moved the first time and drains nothing new.
    /// </summary>
    Task<InboxDrainResult> MoveInboxToTree(string name, string entryIdPrefix);
}
