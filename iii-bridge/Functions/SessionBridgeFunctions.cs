using Harness.Bridge.Functions.Payloads;
using Harness.Messages;
using Harness.Serialization;
using Harness.Sessions;
using Harness.Turns;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>
/// The <c>session</c> worker (console-and-data §3.1): the 16 <c>session-tree::*</c> functions, <c>entries</c> (the
/// flat tree) and <c>session-inbox::*</c>, each one call to the session's grain (list: the session directory).
/// <see cref="SessionException"/> becomes an error whose code is its kind (<c>not_found</c>, <c>entry_not_found</c>).
/// </summary>
public sealed class SessionBridgeFunctions(IGrainFactory grains) : IBridgeFunctionSource
{
    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return Function<SessionCreatePayload, SessionIdResult>(
            "session-tree::create",
            "Create a new empty session (new UUID) with optional display_name and cwd; branch_count 1.",
            async request =>
            {
                var id = Guid.NewGuid().ToString();
                await Session(id).Create(new SessionCreateRequest { DisplayName = request.DisplayName, Cwd = request.Cwd, BranchCount = 1 });
                return new SessionIdResult { SessionId = id };
            });

        yield return Function<SessionEnsurePayload, SessionEnsureResult>(
            "session-tree::ensure",
            "Create the session with this id if it does not exist (branch_count 0); an existing session is left as it is. created tells which.",
            async request =>
            {
                var id = Require.Key(request.SessionId, "session_id");
                var created = await Session(id).Create(new SessionCreateRequest { DisplayName = request.DisplayName, Cwd = request.Cwd });
                return new SessionEnsureResult { SessionId = id, Created = created };
            },
            Schema<SessionEnsurePayload>("session_id"));

        yield return Function<SessionAppendPayload, EntryIdResult>(
            "session-tree::append",
            "Append one AgentMessage under parent_id (null or absent: the active leaf); it becomes the active leaf.",
            async request =>
            {
                var id = request.Validate();
                var result = await Session(id).AppendBatch(new SessionAppendRequest { SessionId = id, ParentId = request.ParentId, Messages = [request.Message!] });
                return new EntryIdResult { EntryId = result.EntryIds[0] };
            },
            Schema<SessionAppendPayload>("session_id", "message"));

        yield return Function<SessionAppendRequest, SessionAppendResult>(
            "session-tree::append_batch",
            "Append messages as a chain under parent_id (default: the active leaf); entry_ids in order. Idempotent per entry id when entry_ids are given.",
            request =>
            {
                request.Validate();
                return Session(request.SessionId!).AppendBatch(request);
            },
            Schema<SessionAppendRequest>("session_id", "messages"));

        yield return Function<SessionPathPayload, SessionMessagesResult>(
            "session-tree::messages",
            "Every message on the active path (or the path to branch_leaf) with its entry_id, oldest first.",
            async request => new SessionMessagesResult { Messages = await Session(Require.Key(request.SessionId, "session_id")).PathMessages(request.BranchLeaf) },
            Schema<SessionPathPayload>("session_id"));

        yield return Function<SessionListPayload, SessionListResult>(
            "session-tree::list",
            "Sessions ordered by updated_at (default desc), paged by limit/offset, with entry_count and last_message_summary; total counts all.",
            request => SessionDirectory.ListAsync(grains, request.Limit, request.Offset, request.Order),
            BridgeSchemas.For<SessionListPayload>().Enum("order", SessionDirectory.Orders));

        yield return Function<SessionRequest, JsonElement>(
            "session-tree::tree",
            "The session tree as a nested TreeNode {entry, children} from its root; entry_not_found when the session has no entries, tree_too_deep when it nests deeper than a frame may carry (read it flat with session-tree::entries).",
            async request => TreeJson(SessionTreeNode.Build(await Session(request.Validate()).Entries())),
            Schema<SessionRequest>("session_id"),
            TreeNodeSchema());

        yield return Function<SessionRequest, SessionTreeView>(
            "session-tree::entries",
            "Every entry of the session tree (flat, in append order) and the active leaf.",
            request => Session(request.Validate()).Entries(),
            Schema<SessionRequest>("session_id"));

        yield return Function<SessionPathPayload, SessionHtmlResult>(
            "session-tree::export_html",
            "The active path (or the path to branch_leaf) as a self-contained dark HTML page.",
            async request => new SessionHtmlResult { Html = await Session(Require.Key(request.SessionId, "session_id")).ExportHtml(request.BranchLeaf) },
            Schema<SessionPathPayload>("session_id"));

        yield return Function<SessionForkPayload, SessionIdResult>(
            "session-tree::fork",
            "A new session holding the path up to from_entry_id, named '<display_name> (fork)'; a path of more than 50 entries becomes one branch_summary entry.",
            async request =>
            {
                var (source, from) = request.Validate();
                return new SessionIdResult { SessionId = await Session(source).ForkTo(from) };
            },
            Schema<SessionForkPayload>("source_session_id", "from_entry_id"));

        yield return Function<SessionClonePayload, SessionIdResult>(
            "session-tree::clone",
            "A new session with every entry (all branches) copied under new ids, named '<display_name> (clone)'.",
            async request => new SessionIdResult { SessionId = await Session(Require.Key(request.SourceSessionId, "source_session_id")).CloneTo() },
            Schema<SessionClonePayload>("source_session_id"));

        yield return Function<SessionCompactPayload, EntryIdResult>(
            "session-tree::compact",
            "Append a compaction entry (summary, tokens_before, details, tail_start_id) under parent_id (default: the active leaf).",
            async request =>
            {
                var compaction = new CompactionRequest
                {
                    SessionId = request.SessionId, Summary = request.Summary, TokensBefore = request.TokensBefore ?? 0,
                    Details = request.Details, ParentId = request.ParentId, TailStartId = request.TailStartId,
                };
                compaction.Validate();
                return new EntryIdResult { EntryId = (await Session(request.SessionId!).AddCompaction(compaction)).Id };
            },
            Schema<SessionCompactPayload>("session_id", "summary"));

        yield return Function<SessionRequest, SessionCompactionsResult>(
            "session-tree::compactions",
            "Every compaction entry of the session {id, summary, tokens_before, tail_start_id, details, timestamp}, oldest first.",
            async request => new SessionCompactionsResult { Entries = await Session(request.Validate()).Compactions() },
            Schema<SessionRequest>("session_id"));

        yield return Function<SyntheticAppendPayload, EntryIdResult>(
            "session-tree::append_synthetic",
            "Append a user message [text] under parent_id; without parent_id it is a new root (the leaf is not resolved). metadata is not stored.",
            async request =>
            {
                var id = Require.Key(request.SessionId, "session_id");
                return new EntryIdResult { EntryId = await Session(id).AppendSynthetic(Require.NonEmpty(request.Text, "text"), request.ParentId) };
            },
            Schema<SyntheticAppendPayload>("session_id", "text"));

        yield return Function<UpdatePartPayload, OkResult>(
            "session-tree::update_part",
            "Replace a function_result entry's content with output (default '[output pruned]') and merge compacted_at into its details; other entries are skipped.",
            async request =>
            {
                var id = Require.Key(request.SessionId, "session_id");
                var item = new PartUpdate { EntryId = request.EntryId, Output = request.Output, CompactedAt = request.CompactedAt };
                item.Validate("");
                await Session(id).UpdateParts([item]);
                return OkResult.Success;
            },
            Schema<UpdatePartPayload>("session_id", "entry_id"));

        yield return Function<UpdatePartsPayload, UpdatePartsResult>(
            "session-tree::update_parts",
            "update_part for many entries in one write; updated counts the function_result entries rewritten.",
            async request =>
            {
                var id = Require.Key(request.SessionId, "session_id");
                var items = request.Items ?? throw new PayloadValidationException("items", "is required (an array of {entry_id, output?, compacted_at?})");
                return new UpdatePartsResult { Updated = await Session(id).UpdateParts(items) };
            },
            UpdatePartsSchema());

        yield return Function<ReconcilePayload, ReconcileResult>(
            "session-tree::reconcile",
            "Append the state_snapshot messages beyond the active path's message count (positional, idempotent).",
            request =>
            {
                var id = Require.Key(request.SessionId, "session_id");
                var snapshot = request.StateSnapshot ?? throw new PayloadValidationException("state_snapshot", "is required (an array of AgentMessage)");
                return Session(id).Reconcile(snapshot);
            },
            Schema<ReconcilePayload>("session_id", "state_snapshot"));

        yield return Function<InboxPushRequest, InboxPushResult>(
            "session-inbox::push",
            "Queue a message for the running turn (steering) or for after it (followup).",
            async request =>
            {
                request.Validate();
                var depth = await Session(request.SessionId!).PushInbox(request.Name!, request.Queued!);
                return new InboxPushResult { SessionId = request.SessionId!, Name = request.Name!, Depth = depth };
            },
            InboxPushSchema());

        yield return Function<InboxDrainRequest, InboxPeekResult>(
            "session-inbox::peek",
            "The queued messages of one inbox (steering or followup), left in place; [] when empty.",
            async request =>
            {
                var (sessionId, name) = request.Validate();
                return new InboxPeekResult { Items = await Session(sessionId).PeekInbox(name) };
            },
            Schema<InboxDrainRequest>("session_id", "name").Enum("name", InboxNames.All));

        yield return Function<InboxDrainRequest, InboxDrainResult>(
            "session-inbox::drain",
            "Remove and return every queued message of one inbox (steering or followup).",
            request =>
            {
                var (sessionId, name) = request.Validate();
                return Session(sessionId).DrainInbox(name);
            },
            Schema<InboxDrainRequest>("session_id", "name").Enum("name", InboxNames.All));
    }

    /// <summary>A bridge function whose <see cref="SessionException"/> travels as an error coded by its kind.</summary>
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

    /// <summary>The tree gets the frame's nesting levels less one: the result sits inside the invocationresult object.</summary>
    private static readonly JsonSerializerOptions TreeOptions = new(WireJson.Options) { MaxDepth = Protocol.IiiMessageSerializer.MaxFrameDepth - 1 };

    /// <summary>
    /// A TreeNode nests two levels per generation, so a linear conversation of more than about 60 entries cannot travel
    /// as one through the engine (the original hits the same serde_json limit); say so instead of failing inside the
    /// frame writer.
    /// </summary>
    private static JsonElement TreeJson(SessionTreeNode tree)
    {
        try
        {
            return JsonSerializer.SerializeToElement(tree, TreeOptions);
        }
        catch (JsonException ex)
        {
            throw new BridgeFunctionException("tree_too_deep", $"the tree nests deeper than the {TreeOptions.MaxDepth} JSON levels a frame may carry; read it flat with session-tree::entries", ex);
        }
    }

    private static JsonNode Schema<T>(params string[] required) => BridgeSchemas.For<T>().Require(required);

    /// <summary>
    /// TreeNode is recursive: the generated schema would inline itself 32 levels deep, past the nesting depth JSON
    /// readers accept in a registration frame. Children are described one level down instead.
    /// </summary>
    private static JsonNode TreeNodeSchema() => new JsonObject
    {
        ["type"] = "object",
        ["description"] = "TreeNode: {entry, children: TreeNode[]}",
        ["properties"] = new JsonObject
        {
            ["entry"] = BridgeSchemas.For<SessionEntryView>(),
            ["children"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object", ["description"] = "TreeNode" } },
        },
        ["required"] = new JsonArray("entry", "children"),
    };

    /// <summary><c>message</c> or the original's <c>item</c>: one of the two is required.</summary>
    private static JsonNode InboxPushSchema()
    {
        var schema = Schema<InboxPushRequest>("session_id", "name").Enum("name", InboxNames.All);
        schema["anyOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("message") }, new JsonObject { ["required"] = new JsonArray("item") });
        return schema;
    }

    private static JsonNode UpdatePartsSchema()
    {
        var schema = Schema<UpdatePartsPayload>("session_id", "items");
        if (schema["properties"]?["items"]?["items"] is JsonNode item)
        {
            item.Require("entry_id");
        }
        return schema;
    }

    private ISessionGrain Session(string sessionId) => grains.GetGrain<ISessionGrain>(sessionId);
}
