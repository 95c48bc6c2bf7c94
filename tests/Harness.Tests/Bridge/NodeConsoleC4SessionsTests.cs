using System.Text.Json.Nodes;
using Harness.Providers;
using Harness.Providers.Scripted;
using Harness.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>
/// The newest console (C4, console-and-data §1.6) played by a Node peer with the real <c>iii-sdk</c>
/// (<c>tests/node/console-c4-sessions.mjs</c>) through the engine stand-in, for its session-manager, model-picker and
/// /compact calls: a sidebar session (ensure, list, rename, draft with attachments, status, delete), and a session driven
/// the v0.5 way (<c>harness::trigger</c>) read back page by page through <c>session::messages</c>, compacted the C4 way
/// and continued, the next turn being sent summary + tail.
/// </summary>
public sealed class NodeConsoleC4SessionsTests : IAsyncLifetime
{
    private const string Summary = "SUMMARY: q1 and its answer";
    private BridgeCluster _h = null!;

    public async ValueTask InitializeAsync() => _h = await BridgeCluster.StartAsync();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private ScriptedProvider Scripted =>
        _h.Cluster.GetSiloServiceProvider(_h.Cluster.Silos[0].SiloAddress).GetServices<IModelProvider>().OfType<ScriptedProvider>().Single();

    [Fact]
    public async Task The_C4_console_manages_sessions_models_and_compact_over_the_same_grains_as_the_C2_path()
    {
        NodePeer.RequireAvailable();
        var model = _h.Workspace.WriteScript("c4-chat", $$"""{"summary":"{{Summary}}","context_window":200000,""" + Rounds($"{Text("answered")},{Stop("end")}")[1..]);
        var c2 = $"console-{Guid.NewGuid():N}";
        var config = new JsonObject { ["c2_session"] = c2, ["model"] = model, ["provider"] = "scripted", ["context_window"] = 200000 };

        var run = await NodePeer.RunAsync("console-c4-sessions.mjs", [_h.Engine.Url.ToString()], config.ToJsonString(), timeoutSeconds: 150);

        run.AssertSucceeded();
        JsonObject Line(string name) => run.Lines.Single(l => l["event"]!.GetValue<string>() == name);
        static List<string?> Field(JsonNode? rows, string name) => [.. rows!.AsArray().Select(r => r![name]?.GetValue<string>())];

        // Model picker.
        var picker = Line("picker");
        var provider = picker["provider"]!;
        Assert.Equal((true, true), (provider["supports_model_listing"]!.GetValue<bool>(), provider["available"]!.GetValue<bool>()));
        Assert.NotNull(provider["configured"]);
        Assert.True(picker["refreshed"]!["scripted"]!.GetValue<int>() >= 1);
        var row = picker["model"]!;
        Assert.Equal((200000L, model), (row["context_window"]!.GetValue<long>(), row["display_name"]!.GetValue<string>()));
        Assert.NotNull(row["supports_thinking"]);
        Assert.NotNull(row["supports_vision"]);
        Assert.IsType<JsonArray>(row["reasoning_efforts"]);

        // Sidebar.
        var sidebar = Line("sidebar");
        Assert.Equal((true, false, true, "New chat"), (sidebar["created"]!.GetValue<bool>(), sidebar["created_again"]!.GetValue<bool>(),
            sidebar["listed"]!.GetValue<bool>(), sidebar["listed_title"]!.GetValue<string>()));
        Assert.Equal("Renamed", sidebar["renamed"]!["title"]!.GetValue<string>());
        Assert.Equal("""{"surface":"console","title_manual":true}""", sidebar["renamed"]!["metadata"]!.ToJsonString());
        Assert.Equal("half typed", sidebar["text_draft"]!["draft"]!.GetValue<string>());
        Assert.Equal(("file", "notes.txt", 8L), (sidebar["block"]!["type"]!.GetValue<string>(), sidebar["block"]!["name"]!.GetValue<string>(), sidebar["block"]!["size"]!.GetValue<long>()));
        Assert.Equal(["notes.txt", "chip.png"], sidebar["parked"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(("hello c4", 8L), (sidebar["read"]!["text"]!.GetValue<string>(), sidebar["read"]!["size"]!.GetValue<long>()));
        Assert.Null(sidebar["meta_only_data"]);
        Assert.True(sidebar["removed"]!.GetValue<bool>());
        Assert.Equal(["idle", "working"], sidebar["status"]!.AsArray().Select(s => s!["previous_status"]!.GetValue<string>()));
        var got = sidebar["got"]!;
        Assert.Equal(("Renamed", "done", "with files", 0), (got["title"]!.GetValue<string>(), got["status"]!.GetValue<string>(), got["draft"]!.GetValue<string>(), got["message_count"]!.GetValue<int>()));
        Assert.Equal(["notes.txt"], got["draft_attachments"]!.AsArray().Select(n => n!.GetValue<string>()));

        // The v0.5-driven session, read back the C4 way: three pages of two, the same entries as session-tree::messages.
        var transcript = Line("c2_transcript");
        Assert.Equal([2, 2, 2], transcript["pages"]!.AsArray().Select(p => p!.GetValue<int>()));
        var rows = transcript["rows"]!;
        Assert.Equal(["user", "assistant", "user", "assistant", "user", "assistant"], Field(rows, "role"));
        Assert.Equal(["q1", "answered", "q2", "answered", "q3", "answered"], Field(rows, "text"));
        Assert.Equal(Field(rows, "entry_id"), transcript["tree_ids"]!.AsArray().Select(n => n!.GetValue<string>()));

        // /compact: the head (the first turn) summarised, the tail from q2, the console's record appended at the leaf.
        var compact = Line("compact");
        Assert.Equal(("ok", Summary, 2), (compact["reply"]!["status"]!.GetValue<string>(), compact["reply"]!["summary"]!.GetValue<string>(), compact["reply"]!["tail_start_index"]!.GetValue<int>()));
        Assert.Equal((Field(rows, "entry_id")[2], Field(rows, "entry_id")[5]),
            (compact["marker"]!["tail_start_entry_id"]!.GetValue<string>(), compact["marker"]!["parent_id"]!.GetValue<string>()));

        // The next turn: the record is in place in the transcript, and the model was sent summary + tail only.
        var after = Line("after_compact")["rows"]!;
        Assert.Equal([null, null, null, null, null, null, "compaction", null, null], Field(after, "custom_type"));
        Assert.Equal(["q4", "answered"], Field(after, "text")[7..]);
        var sent = Scripted.LastRequests[model];
        Assert.DoesNotContain(sent.Messages, m => m.Text == "q1");
        Assert.Contains(sent.Messages, m => m.Text.Contains(Summary, StringComparison.Ordinal));
        Assert.Equal("q4", sent.Messages[^1].Text);

        // Delete: gone from get, the list and the attachment store; the other session stays.
        var deleted = Line("deleted");
        Assert.True(deleted["deleted"]!.GetValue<bool>());
        Assert.Null(deleted["get"]);
        Assert.Null(deleted["attachment"]);
        Assert.Equal((false, true), (deleted["listed"]!.GetValue<bool>(), deleted["c2_listed"]!.GetValue<bool>()));

        // Live updates through the bridge's trigger types: each change once, in order, the session filter honoured.
        var live = Line("live");
        Assert.Contains(live["models_changed"]!.AsArray(), e => e!["provider"]!.GetValue<string>() == "scripted" && e["op"]!.GetValue<string>() == "added");
        Assert.Contains(live["provider_changed"]!.AsArray(), e => e!["provider"]!.GetValue<string>() == "scripted" && e["op"]!.GetValue<string>() == "configured");
        Assert.Equal("""[{"title":"New chat","status":"idle"}]""", live["created"]!.ToJsonString());
        Assert.Equal(1, live["c2_created"]!.GetValue<int>());
        Assert.Equal("""[{"title":"Renamed","metadata":{"surface":"console","title_manual":true}}]""", live["meta_updated"]!.ToJsonString());
        Assert.Equal("""[["idle","working"],["working","done"]]""", live["status_changed"]!.ToJsonString());
        Assert.Equal(1, live["deleted"]!.GetValue<int>());
        var added = live["c2_added"]!;
        Assert.Equal(Field(after, "entry_id"), Field(added, "entry_id"));
        Assert.All(added.AsArray(), e => Assert.Equal(c2, e!["session_id"]!.GetValue<string>()));
        Assert.Equal([null, .. Field(added, "entry_id")[..^1]], Field(added, "parent_id"));
        Assert.Equal("compaction", Field(added, "custom_type")[6]);
        Assert.Equal(0, live["other_sessions_added"]!.GetValue<int>());
    }
}
