using Harness.Messages;

namespace Harness.Sessions;

/// <summary>
/// The session tree and inboxes of one session (key = session id): metadata, entries with parent ids, an active
/// leaf (the last entry appended, or the one <see cref="MoveLeaf"/> chose), idempotent appends by entry id, and the
/// steering/followup queues. Every method of the <c>session</c> worker (console-and-data §3.1) maps to one call.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary><c>session-tree::ensure</c> without a name: creates the (empty) session if missing; true when it was created.</summary>
    Task<bool> Ensure();

    /// <summary>
    /// <c>session-tree::create</c> / <c>ensure</c>: creates the session with this metadata if it does not exist
    /// (an existing session keeps its own); true when it was created.
    /// </summary>
    Task<bool> Create(SessionCreateRequest request);

    /// <summary>The session's metadata, or null when the session was never created.</summary>
    Task<SessionMeta?> Meta();

    /// <summary><c>session-tree::append_batch</c>.</summary>
    Task<SessionAppendResult> AppendBatch(SessionAppendRequest request);

    /// <summary>The active path as a provider window (latest compaction summary + tail), for the turn.</summary>
    Task<SessionWindow> Messages();

    /// <summary>
    /// <c>session-tree::messages</c>: every message entry on the path ending at <paramref name="branchLeaf"/> (default:
    /// the active leaf), oldest first. Throws <see cref="SessionException"/> <c>entry_not_found</c> for an unknown leaf.
    /// </summary>
    Task<IReadOnlyList<SessionMessageRow>> PathMessages(string? branchLeaf);

    /// <summary><c>session-tree::entries</c>: the whole tree (the bridge nests it into <c>session-tree::tree</c>).</summary>
    Task<SessionTreeView> Entries();

    /// <summary><c>session-tree::export_html</c>: the path to <paramref name="branchLeaf"/> (default: active) as a self-contained dark page.</summary>
    Task<string> ExportHtml(string? branchLeaf);

    /// <summary>Makes <paramref name="entryId"/> the active leaf in place; later appends branch from it.</summary>
    Task<SessionTreeView> MoveLeaf(string entryId);

    /// <summary>
    /// <c>session-tree::fork</c>: a new session (id returned) holding the path up to <paramref name="fromEntryId"/>,
    /// named "&lt;display_name&gt; (fork)"; a path of more than 50 entries becomes one <c>branch_summary</c> entry.
    /// </summary>
    Task<string> ForkTo(string fromEntryId);

    /// <summary><c>session-tree::clone</c>: a new session (id returned) with every entry copied under new ids.</summary>
    Task<string> CloneTo();

    /// <summary>Fills a fresh fork/clone target in one write; the caller made up its id.</summary>
    Task Seed(SessionSeed seed);

    /// <summary>
    /// <c>session-tree::compact</c>: appends a compaction entry under <c>parent_id</c> (default: the active leaf).
    /// Stable for the compaction worker: idempotent by <c>entry_id</c> when one is given.
    /// </summary>
    Task<SessionEntry> AddCompaction(CompactionRequest request);

    /// <summary><c>session-tree::compactions</c>: every compaction entry of the tree, oldest first.</summary>
    Task<IReadOnlyList<CompactionRow>> Compactions();

    /// <summary>
    /// <c>session-tree::append_synthetic</c>: a user message <c>[text]</c> under <paramref name="parentId"/>; null
    /// makes it a new root (the leaf is not resolved, as in the original).
    /// </summary>
    Task<string> AppendSynthetic(string text, string? parentId);

    /// <summary><c>session-tree::update_part(s)</c>: rewrites function_result entries (others are skipped); the count rewritten.</summary>
    Task<int> UpdateParts(IReadOnlyList<PartUpdate> items);

    /// <summary><c>session-tree::reconcile</c>: appends the snapshot's messages beyond the active path's message count (idempotent).</summary>
    Task<ReconcileResult> Reconcile(IReadOnlyList<AgentMessage> stateSnapshot);

    /// <summary>
    /// Takes the named lease (e.g. <c>prune</c>, <c>compaction</c>) when it is free or expired; false while another
    /// holder has it. Held in memory: a deactivated session has no leases, like an expired one.
    /// </summary>
    Task<bool> TryAcquireLease(string name, string nonce, TimeSpan ttl);

    /// <summary>Releases the lease if <paramref name="nonce"/> still holds it.</summary>
    Task ReleaseLease(string name, string nonce);

    /// <summary><c>session-inbox::push</c>; returns the queue depth.</summary>
    Task<int> PushInbox(string name, AgentMessage message);

    /// <summary><c>session-inbox::drain</c>: removes and returns every queued message of <paramref name="name"/>.</summary>
    Task<InboxDrainResult> DrainInbox(string name);

    /// <summary><c>session-inbox::peek</c>: the queued messages of <paramref name="name"/>, left in place.</summary>
    Task<IReadOnlyList<AgentMessage>> PeekInbox(string name);

    /// <summary>Number of queued messages in inbox <paramref name="name"/>.</summary>
    Task<int> InboxCount(string name);

    /// <summary>
    /// Moves every queued message of <paramref name="name"/> onto the active path as entries
    /// <c>&lt;entryIdPrefix&gt;-0..n</c> in one write, so a crash can neither lose nor duplicate them. Called again with
    /// the same prefix it returns the messages moved the first time and drains nothing new.
    /// </summary>
    Task<InboxDrainResult> MoveInboxToTree(string name, string entryIdPrefix);

    /// <summary>Queues <paramref name="message"/> in inbox <paramref name="name"/> under <paramref name="entryId"/> (again with the same id: no-op).</summary>
    Task<InboxEntry> QueueInboxEntry(string name, string entryId, AgentMessage message, long queuedAt);

    /// <summary>The queued messages of <paramref name="name"/> with their ids, in queue order.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<InboxEntry>> InboxEntries(string name);

    /// <summary>Removes a queued message; false when it is not queued (any more).</summary>
    Task<bool> RemoveInboxEntry(string name, string entryId);

    /// <summary>Replaces a queued message in place; false when it is not queued (any more).</summary>
    Task<bool> ReplaceInboxEntry(string name, string entryId, AgentMessage message);
}
