using System.Text.Json.Nodes;
using Harness.Sessions;
using Harness.Tests.Infrastructure;
using static Harness.Tests.Sessions.SessionFunctions;

namespace Harness.Tests.Sessions;

/// <summary>One PostgreSQL-backed cluster shared by <see cref="SessionWorkerTests"/>.</summary>
public sealed class SessionWorkerFixture : IAsyncLifetime
{
    public HarnessCluster H { get; private set; } = null!;

    public SessionFunctions F { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        H = await HarnessCluster.StartAsync();
        F = new SessionFunctions(H.Grains);
    }

    public async ValueTask DisposeAsync() => await H.DisposeAsync();
}

/// <summary>
/// The <c>session</c> worker's functions (console-and-data §3.1) with their wire shapes, on PostgreSQL storage:
/// each read after a deactivation comes back from the database.
/// </summary>
public sealed class SessionWorkerTests(SessionWorkerFixture fixture) : IClassFixture<SessionWorkerFixture>
{
    private SessionFunctions F => fixture.F;

    private Task Deactivate(string sid) => fixture.H.Cluster.DeactivateAsync(fixture.H.Grains.GetGrain<ISessionGrain>(sid));

    [Fact]
    public async Task Create_makes_a_new_uuid_session_with_branch_count_1_and_ensure_makes_one_with_0_once()
    {
        var created = await F.NewSession("Notes", "/work");
        Assert.True(Guid.TryParse(created, out _));
        var ensuredId = Runs.NewSession();
        var first = await F.Call("session-tree::ensure", $$"""{"session_id":"{{ensuredId}}","display_name":"first"}""");
        var again = await F.Call("session-tree::ensure", $$"""{"session_id":"{{ensuredId}}","display_name":"second"}""");

        Assert.Equal(ensuredId, first["session_id"]!.GetValue<string>());
        Assert.True(first["created"]!.GetValue<bool>());
        Assert.False(again["created"]!.GetValue<bool>());
        await Deactivate(created);
        await Deactivate(ensuredId);
        var meta = await fixture.H.Grains.GetGrain<ISessionGrain>(created).Meta();
        Assert.Equal(("Notes", "/work", 1), (meta!.DisplayName, meta.Cwd, meta.BranchCount));
        var ensured = await fixture.H.Grains.GetGrain<ISessionGrain>(ensuredId).Meta();
        Assert.Equal(("first", 0), (ensured!.DisplayName, ensured.BranchCount));
        Assert.True(meta.CreatedAt > 0 && meta.UpdatedAt >= meta.CreatedAt);
    }

    [Fact]
    public async Task Append_without_parent_goes_under_the_active_leaf_and_with_a_parent_starts_a_branch_that_becomes_active()
    {
        var sid = await F.NewSession();
        var root = await F.Append(sid, User("root"));
        var left = await F.Append(sid, Assistant("left"));
        var right = await F.Append(sid, User("right"), parent: root);
        var tip = await F.Append(sid, Assistant("tip"));

        Assert.Equal([(root, "root"), (right, "right"), (tip, "tip")], await F.Messages(sid));
        Assert.Equal([(root, "root"), (left, "left")], await F.Messages(sid, leaf: left));
        await Deactivate(sid);
        Assert.Equal([(root, "root"), (right, "right"), (tip, "tip")], await F.Messages(sid));
    }

    [Fact]
    public async Task Append_batch_returns_entry_ids_in_order_as_one_chain()
    {
        var sid = await F.NewSession();
        var first = await F.Append(sid, User("q"));
        var ids = await F.AppendBatch(sid, Assistant("a1"), User("q2"), Assistant("a2"));

        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal([first, .. ids], (await F.Messages(sid)).Select(m => m.Id));
        var entries = (await fixture.H.Grains.GetGrain<ISessionGrain>(sid).Entries()).Entries;
        Assert.Equal(first, entries.Single(e => e.Id == ids[0]).ParentId);
        Assert.Equal(ids[1], entries.Single(e => e.Id == ids[2]).ParentId);
        Assert.Single(entries.Where(e => ids.Contains(e.Id)).Select(e => e.Timestamp).Distinct());
    }

    [Fact]
    public async Task Messages_reads_only_message_entries_and_an_unknown_branch_leaf_is_entry_not_found()
    {
        var sid = await F.NewSession();
        var q = await F.Append(sid, User("q"));
        await F.Call("session-tree::compact", $$"""{"session_id":"{{sid}}","summary":"so far"}""");
        var after = await F.Append(sid, User("after"));

        Assert.Equal([(q, "q"), (after, "after")], await F.Messages(sid));
        var error = await F.Fails("session-tree::messages", $$"""{"session_id":"{{sid}}","branch_leaf":"ghost"}""");
        Assert.Equal("entry_not_found", error.Code);
    }

    [Fact]
    public async Task Tree_nests_every_branch_under_the_root_and_an_empty_session_is_entry_not_found()
    {
        var sid = await F.NewSession();
        var root = await F.Append(sid, User("root"));
        var a = await F.Append(sid, Assistant("a"));
        var b = await F.Append(sid, Assistant("b"), parent: root);

        var tree = await F.Call("session-tree::tree", $$"""{"session_id":"{{sid}}"}""");
        Assert.Equal(("message", root), (tree["entry"]!["type"]!.GetValue<string>(), tree["entry"]!["id"]!.GetValue<string>()));
        Assert.Equal("root", tree["entry"]!["message"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal([a, b], tree["children"]!.AsArray().Select(c => c!["entry"]!["id"]!.GetValue<string>()));
        Assert.True(tree["entry"]!.AsObject().TryGetPropertyValue("parent_id", out var rootParent) && rootParent is null);
        Assert.All(tree["children"]!.AsArray(), c => Assert.Equal(root, c!["entry"]!["parent_id"]!.GetValue<string>()));
        Assert.All(tree["children"]!.AsArray(), c => Assert.Empty(c!["children"]!.AsArray()));
        var empty = await F.NewSession();
        Assert.Equal("entry_not_found", (await F.Fails("session-tree::tree", $$"""{"session_id":"{{empty}}"}""")).Code);
    }

    [Fact]
    public async Task Export_html_is_one_dark_self_contained_page_with_the_content_escaped()
    {
        var sid = await F.NewSession();
        await F.Append(sid, User("<script>alert('x')</script> & more"));
        await F.Append(sid, Assistant("fine"));

        var html = (await F.Call("session-tree::export_html", $$"""{"session_id":"{{sid}}"}"""))["html"]!.GetValue<string>();

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("background: #0d1117", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more", html, StringComparison.Ordinal);
        Assert.Contains("fine", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fork_copies_the_path_up_to_the_entry_with_new_ids_and_names_it_fork()
    {
        var sid = await F.NewSession("Plan", "/repo");
        var ids = await F.AppendBatch(sid, User("one"), Assistant("two"), User("three"));

        var fork = (await F.Call("session-tree::fork", $$"""{"source_session_id":"{{sid}}","from_entry_id":"{{ids[1]}}"}"""))["session_id"]!.GetValue<string>();

        await Deactivate(fork);
        var copied = await F.Messages(fork);
        Assert.Equal(["one", "two"], copied.Select(m => m.Text));
        Assert.Empty(copied.Select(m => m.Id).Intersect(ids));
        var meta = await fixture.H.Grains.GetGrain<ISessionGrain>(fork).Meta();
        Assert.Equal(("Plan (fork)", "/repo", 1), (meta!.DisplayName, meta.Cwd, meta.BranchCount));
        Assert.Equal(["one", "two", "three"], (await F.Messages(sid)).Select(m => m.Text));
    }

    [Fact]
    public async Task Fork_of_a_path_longer_than_50_entries_is_one_branch_summary_and_50_are_still_copied()
    {
        var sid = await F.NewSession();
        var ids = await F.AppendBatch(sid, [.. Enumerable.Range(0, 51).Select(i => User($"m{i}"))]);

        var big = (await F.Call("session-tree::fork", $$"""{"source_session_id":"{{sid}}","from_entry_id":"{{ids[50]}}"}"""))["session_id"]!.GetValue<string>();
        var fifty = (await F.Call("session-tree::fork", $$"""{"source_session_id":"{{sid}}","from_entry_id":"{{ids[49]}}"}"""))["session_id"]!.GetValue<string>();

        var summary = (await fixture.H.Grains.GetGrain<ISessionGrain>(big).Entries()).Entries;
        var only = Assert.Single(summary);
        Assert.Equal((SessionEntryKinds.BranchSummary, null, ids[50]), (only.Kind, only.ParentId, only.FromId));
        Assert.Equal($"Forked from session {sid} at entry {ids[50]}: 51 entries collapsed.", only.Summary);
        Assert.Empty(await F.Messages(big));
        Assert.Equal(50, (await F.Messages(fifty)).Count);
        var tree = await F.Call("session-tree::tree", $$"""{"session_id":"{{big}}"}""");
        Assert.Equal(("branch_summary", ids[50]), (tree["entry"]!["type"]!.GetValue<string>(), tree["entry"]!["from_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Fork_names_unknown_sessions_not_found_and_unknown_entries_entry_not_found()
    {
        var sid = await F.NewSession();
        await F.Append(sid, User("x"));

        Assert.Equal("not_found", (await F.Fails("session-tree::fork", """{"source_session_id":"no-such-session","from_entry_id":"e"}""")).Code);
        Assert.Equal("entry_not_found", (await F.Fails("session-tree::fork", $$"""{"source_session_id":"{{sid}}","from_entry_id":"ghost"}""")).Code);
        Assert.Equal("not_found", (await F.Fails("session-tree::clone", """{"source_session_id":"no-such-session"}""")).Code);
    }

    [Fact]
    public async Task Clone_copies_every_branch_with_remapped_ids_and_parents_and_keeps_the_active_leaf()
    {
        var sid = await F.NewSession("Chat");
        var root = await F.Append(sid, User("root"));
        var left = await F.Append(sid, Assistant("left"));
        await F.Append(sid, Assistant("right"), parent: root);

        var clone = (await F.Call("session-tree::clone", $$"""{"source_session_id":"{{sid}}"}"""))["session_id"]!.GetValue<string>();

        await Deactivate(clone);
        var source = (await fixture.H.Grains.GetGrain<ISessionGrain>(sid).Entries()).Entries;
        var copy = (await fixture.H.Grains.GetGrain<ISessionGrain>(clone).Entries()).Entries;
        Assert.Equal(source.Count, copy.Count);
        Assert.Empty(copy.Select(e => e.Id).Intersect(source.Select(e => e.Id)));
        var byText = copy.ToDictionary(e => e.Message!.Text);
        Assert.Null(byText["root"].ParentId);
        Assert.Equal(byText["root"].Id, byText["left"].ParentId);
        Assert.Equal(byText["root"].Id, byText["right"].ParentId);
        Assert.Equal(["root", "right"], (await F.Messages(clone)).Select(m => m.Text));
        Assert.Equal("Chat (clone)", (await fixture.H.Grains.GetGrain<ISessionGrain>(clone).Meta())!.DisplayName);
        Assert.NotEqual(left, byText["left"].Id);
    }

    [Fact]
    public async Task Compact_appends_under_the_active_leaf_and_compactions_lists_them_oldest_first()
    {
        var sid = await F.NewSession();
        var ids = await F.AppendBatch(sid, User("q"), Assistant("a"));

        var first = (await F.Call("session-tree::compact", $$$"""{"session_id":"{{{sid}}}","summary":"first","tokens_before":120,"tail_start_id":"{{{ids[1]}}}","details":{"read_files":["a.txt"],"modified_files":["b.txt"]}}"""))["entry_id"]!.GetValue<string>();
        var second = (await F.Call("session-tree::compact", $$"""{"session_id":"{{sid}}","summary":"second","parent_id":"{{ids[0]}}"}"""))["entry_id"]!.GetValue<string>();

        await Deactivate(sid);
        var rows = (await F.Call("session-tree::compactions", $$"""{"session_id":"{{sid}}"}"""))["entries"]!.AsArray();
        Assert.Equal([first, second], rows.Select(r => r!["id"]!.GetValue<string>()));
        Assert.Equal((120, ids[1], "a.txt", "b.txt"), (rows[0]!["tokens_before"]!.GetValue<long>(), rows[0]!["tail_start_id"]!.GetValue<string>(),
            rows[0]!["details"]!["read_files"]![0]!.GetValue<string>(), rows[0]!["details"]!["modified_files"]![0]!.GetValue<string>()));
        Assert.Equal(0, rows[1]!["tokens_before"]!.GetValue<long>());
        var entries = (await fixture.H.Grains.GetGrain<ISessionGrain>(sid).Entries()).Entries;
        Assert.Equal(ids[1], entries.Single(e => e.Id == first).ParentId);
        Assert.Equal(ids[0], entries.Single(e => e.Id == second).ParentId);
    }

    [Fact]
    public async Task Append_synthetic_is_a_user_text_message_and_without_parent_it_is_a_new_root()
    {
        var sid = await F.NewSession();
        var q = await F.Append(sid, User("q"));

        var chained = (await F.Call("session-tree::append_synthetic", $$"""{"session_id":"{{sid}}","text":"Continue","metadata":{"compaction_continue":true},"parent_id":"{{q}}"}"""))["entry_id"]!.GetValue<string>();
        Assert.Equal([(q, "q"), (chained, "Continue")], await F.Messages(sid));

        var root = (await F.Call("session-tree::append_synthetic", $$"""{"session_id":"{{sid}}","text":"alone"}"""))["entry_id"]!.GetValue<string>();
        var entries = (await fixture.H.Grains.GetGrain<ISessionGrain>(sid).Entries()).Entries;
        var entry = entries.Single(e => e.Id == root);
        Assert.Null(entry.ParentId);
        Assert.Equal(("user", "alone"), (entry.Message!.Role, entry.Message.Text));
        Assert.Equal([(root, "alone")], await F.Messages(sid));
    }

    [Fact]
    public async Task Update_parts_rewrites_function_results_only_and_merges_compacted_at_into_details()
    {
        var sid = await F.NewSession();
        var ids = await F.AppendBatch(sid, User("q"), Result("c1", "fs::read", "long output"), Result("c2", "fs::read", "other output"));

        var updated = await F.Call("session-tree::update_parts", $$"""
            {"session_id":"{{sid}}","items":[
              {"entry_id":"{{ids[0]}}","output":"not a result"},
              {"entry_id":"{{ids[1]}}","compacted_at":1234},
              {"entry_id":"{{ids[2]}}","output":"short","compacted_at":99},
              {"entry_id":"no-such-entry"}]}
            """);
        var single = await F.Call("session-tree::update_part", $$"""{"session_id":"{{sid}}","entry_id":"{{ids[0]}}","output":"still not"}""");

        Assert.Equal(2, updated["updated"]!.GetValue<int>());
        Assert.True(single["ok"]!.GetValue<bool>());
        await Deactivate(sid);
        var messages = (await F.Call("session-tree::messages", $$"""{"session_id":"{{sid}}"}"""))["messages"]!.AsArray().Select(m => m!["message"]!).ToList();
        Assert.Equal("q", messages[0]["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("[output pruned]", messages[1]["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal((true, 1234), (messages[1]["details"]!["kept"]!.GetValue<bool>(), messages[1]["details"]!["compacted_at"]!.GetValue<int>()));
        Assert.Equal("short", messages[2]["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(99, messages[2]["details"]!["compacted_at"]!.GetValue<int>());
    }

    [Fact]
    public async Task Reconcile_appends_what_the_snapshot_has_beyond_the_tree_and_is_idempotent()
    {
        var sid = await F.NewSession();
        await F.AppendBatch(sid, User("one"), Assistant("two"));
        var snapshot = $$"""{"session_id":"{{sid}}","state_snapshot":[{{User("one")}},{{Assistant("two")}},{{User("three")}},{{Assistant("four")}}]}""";

        var first = await F.Call("session-tree::reconcile", snapshot);
        var second = await F.Call("session-tree::reconcile", snapshot);

        Assert.Equal((4, 2, 4, 2), Counts(first));
        Assert.Equal((4, 4, 4, 0), Counts(second));
        Assert.Equal(["one", "two", "three", "four"], (await F.Messages(sid)).Select(m => m.Text));

        static (int, int, int, int) Counts(JsonNode r) => (r["state_count"]!.GetValue<int>(), r["tree_count_before"]!.GetValue<int>(),
            r["tree_count_after"]!.GetValue<int>(), r["repaired"]!.GetValue<int>());
    }

    [Fact]
    public async Task Inbox_peek_shows_queued_items_without_removing_them()
    {
        var sid = Runs.NewSession();
        Assert.Empty((await F.Call("session-inbox::peek", $$"""{"session_id":"{{sid}}","name":"steering"}"""))["items"]!.AsArray());
        await F.Call("session-inbox::push", $$"""{"session_id":"{{sid}}","name":"steering","message":{{User("steer")}}}""");
        await F.Call("session-inbox::push", $$"""{"session_id":"{{sid}}","name":"steering","item":{{User("as item")}}}""");

        var peeked = await F.Call("session-inbox::peek", $$"""{"session_id":"{{sid}}","name":"steering"}""");
        var drained = await F.Call("session-inbox::drain", $$"""{"session_id":"{{sid}}","name":"steering"}""");

        Assert.Equal(["steer", "as item"], peeked["items"]!.AsArray().Select(i => i!["content"]![0]!["text"]!.GetValue<string>()));
        Assert.Equal(2, drained["items"]!.AsArray().Count);
        Assert.Empty((await F.Call("session-inbox::peek", $$"""{"session_id":"{{sid}}","name":"steering"}"""))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("session-tree::ensure", "{}", "session_id")]
    [InlineData("session-tree::append", """{"session_id":"s1"}""", "message")]
    [InlineData("session-tree::append", """{"session_id":"s1","message":{"content":[]}}""", "message.role")]
    [InlineData("session-tree::append_batch", """{"session_id":"s1","messages":{}}""", "messages")]
    [InlineData("session-tree::messages", """{"branch_leaf":"x"}""", "session_id")]
    [InlineData("session-tree::list", """{"order":"sideways"}""", "order")]
    [InlineData("session-tree::list", """{"limit":-1}""", "limit")]
    [InlineData("session-tree::list", """{"offset":"two"}""", "offset")]
    [InlineData("session-tree::tree", "{}", "session_id")]
    [InlineData("session-tree::export_html", "{}", "session_id")]
    [InlineData("session-tree::fork", """{"from_entry_id":"e"}""", "source_session_id")]
    [InlineData("session-tree::fork", """{"source_session_id":"s1"}""", "from_entry_id")]
    [InlineData("session-tree::clone", "{}", "source_session_id")]
    [InlineData("session-tree::compact", """{"session_id":"s1"}""", "summary")]
    [InlineData("session-tree::compact", """{"session_id":"s1","summary":"x","tokens_before":"many"}""", "tokens_before")]
    [InlineData("session-tree::compactions", "{}", "session_id")]
    [InlineData("session-tree::append_synthetic", """{"session_id":"s1"}""", "text")]
    [InlineData("session-tree::update_part", """{"session_id":"s1"}""", "entry_id")]
    [InlineData("session-tree::update_part", """{"session_id":"s1","entry_id":"e","output":5}""", "output")]
    [InlineData("session-tree::update_parts", """{"session_id":"s1"}""", "items")]
    [InlineData("session-tree::update_parts", """{"session_id":"s1","items":[{"output":"x"}]}""", "items[0].entry_id")]
    [InlineData("session-tree::reconcile", """{"session_id":"s1"}""", "state_snapshot")]
    [InlineData("session-inbox::peek", """{"session_id":"s1","name":"elsewhere"}""", "name")]
    [InlineData("session-inbox::push", """{"session_id":"s1","name":"steering"}""", "message")]
    [InlineData("session-inbox::push", """{"session_id":"s1","name":"steering","item":{"role":"assistant","content":[]}}""", "item.role")]
    [InlineData("context-compaction::prune_tool_outputs", "{}", "session_id")]
    public async Task Bad_input_is_invalid_payload_naming_the_field(string functionId, string payload, string field)
    {
        var error = await F.Fails(functionId, payload);

        Assert.Equal("invalid_payload", error.Code);
        Assert.Equal(field, error.Field);
    }
}
