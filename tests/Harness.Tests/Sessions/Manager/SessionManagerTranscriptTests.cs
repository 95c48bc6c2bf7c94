using Harness.Sessions;

namespace Harness.Tests.Sessions.Manager;

/// <summary><c>session::messages</c> pages, custom entries in place, images by reference, and the console's compaction record.</summary>
public sealed class SessionManagerTranscriptTests(SessionManagerFixture fixture) : IClassFixture<SessionManagerFixture>
{
    private ManagerFunctions F => fixture.F;

    [Fact]
    public async Task Pages_walk_the_active_path_without_gaps_or_overlaps_and_the_last_page_has_no_cursor()
    {
        var sid = await F.Ensure();
        var ids = await F.AppendUsers(sid, 5);

        Assert.Equal([[ids[0], ids[1]], [ids[2], ids[3]], [ids[4]]], await F.Pages(sid, 2, includeCustom: false));
        Assert.Equal([[.. ids.Take(3)], [.. ids.Skip(3)]], await F.Pages(sid, 3, includeCustom: false));
        // A limit equal to the path: one page and no cursor to an empty one.
        Assert.Single(await F.Pages(sid, 5, includeCustom: false));
        // Above the hard cap the page is the cap, not an error.
        Assert.Equal([ids], await F.Pages(sid, 100_000, includeCustom: false));
    }

    [Fact]
    public async Task An_empty_session_has_one_empty_page()
    {
        var sid = await F.Ensure();

        var page = await F.Ok("session::messages", $$$"""{"session_id":"{{{sid}}}"}""");

        Assert.Empty(page["messages"]!.AsArray());
        Assert.Null(page["next_cursor"]);
    }

    [Fact]
    public async Task Custom_entries_appear_only_with_include_custom_at_their_path_position()
    {
        var sid = await F.Ensure();
        var first = await F.AppendUsers(sid, 1, "one");
        var marker = (await F.Ok("session::append", $$$"""{"session_id":"{{{sid}}}","custom":{"custom_type":"note","data":{"k":1} }}"""))["entry_id"]!.GetValue<string>();
        var second = await F.AppendUsers(sid, 1, "two");

        Assert.Equal([[first[0], second[0]]], await F.Pages(sid, 10, includeCustom: false));
        Assert.Equal([[first[0]], [marker], [second[0]]], await F.Pages(sid, 1, includeCustom: true));
        var all = await F.Ok("session::messages", $$$"""{"session_id":"{{{sid}}}","include_custom":true}""");
        var row = all["messages"]![1]!;
        Assert.Equal(("note", 1), (row["custom"]!["custom_type"]!.GetValue<string>(), row["custom"]!["data"]!["k"]!.GetValue<int>()));
        Assert.Null(row["message"]);
    }

    [Fact]
    public async Task A_cursor_whose_entry_left_the_active_path_is_refused()
    {
        var sid = await F.Ensure();
        var ids = await F.AppendUsers(sid, 3);
        var cursor = (await F.Ok("session::messages", $$$"""{"session_id":"{{{sid}}}","limit":2}"""))["next_cursor"]!.GetValue<string>();
        await fixture.H.Grains.GetGrain<ISessionGrain>(sid).MoveLeaf(ids[0]);

        var error = await F.Fails("session::messages", $$$"""{"session_id":"{{{sid}}}","limit":2,"cursor":"{{{cursor}}}"}""");

        Assert.Equal(("invalid_payload", "cursor"), (error.Code, error.Field));
    }

    [Fact]
    public async Task Appending_is_idempotent_on_entry_id_and_answers_the_parent()
    {
        var sid = await F.Ensure();
        var ids = await F.AppendUsers(sid, 1);
        const string custom = """{"custom_type":"note","data":{}}""";

        var first = await F.Ok("session::append", $$$"""{"session_id":"{{{sid}}}","entry_id":"e-fixed","custom":{{{custom}}}}""");
        var again = await F.Ok("session::append", $$$"""{"session_id":"{{{sid}}}","entry_id":"e-fixed","custom":{{{custom}}}}""");

        Assert.Equal(("e-fixed", ids[0]), (first["entry_id"]!.GetValue<string>(), first["parent_id"]!.GetValue<string>()));
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        Assert.Equal([[ids[0], "e-fixed"]], await F.Pages(sid, 10, includeCustom: true));
    }

    [Fact]
    public async Task Without_include_image_data_an_image_with_a_stored_original_travels_as_a_reference()
    {
        var sid = await F.Ensure();
        await F.Ok("session::append", $$$"""
            {"session_id":"{{{sid}}}","message":{"role":"user","timestamp":1,"content":[
              {"type":"image","mime":"image/png","data":"aGVsbG8=","attachment_id":"a_1"},
              {"type":"image","mime":"image/png","data":"eHl6"}]}}
            """);

        var full = (await F.Ok("session::messages", $$$"""{"session_id":"{{{sid}}}"}"""))["messages"]![0]!["message"]!["content"]!;
        var lean = (await F.Ok("session::messages", $$$"""{"session_id":"{{{sid}}}","include_image_data":false}"""))["messages"]![0]!["message"]!["content"]!;

        Assert.Equal(("aGVsbG8=", "eHl6"), (full[0]!["data"]!.GetValue<string>(), full[1]!["data"]!.GetValue<string>()));
        Assert.Equal(("", "a_1", "eHl6"), (lean[0]!["data"]!.GetValue<string>(), lean[0]!["attachment_id"]!.GetValue<string>(), lean[1]!["data"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_consoles_compaction_record_makes_the_next_window_summary_plus_tail()
    {
        var sid = await F.Ensure();
        var ids = await F.AppendUsers(sid, 4);

        await F.Ok("session::append", $$$"""
            {"session_id":"{{{sid}}}","custom":{"custom_type":"compaction","data":{"summary":"S","tail_start_entry_id":"{{{ids[2]}}}","tokens_before":9,"timestamp":5} }}
            """);
        var after = await F.AppendUsers(sid, 1, "next");

        var window = await fixture.H.Grains.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal("S", window.Summary);
        Assert.Equal([ids[2], ids[3], after[0]], window.EntryIds);
        // The same record reads back as the console wrote it, and as a session-tree compaction for the v0.5 side.
        var marker = (await F.Ok("session::messages", $$$"""{"session_id":"{{{sid}}}","include_custom":true}"""))["messages"]![4]!["custom"]!;
        Assert.Equal(("compaction", "S", ids[2]), (marker["custom_type"]!.GetValue<string>(), marker["data"]!["summary"]!.GetValue<string>(), marker["data"]!["tail_start_entry_id"]!.GetValue<string>()));
        var tree = (await F.Ok("session-tree::compactions", $$$"""{"session_id":"{{{sid}}}"}"""))["entries"]!.AsArray();
        Assert.Equal(("S", ids[2], 9L), (tree.Single()!["summary"]!.GetValue<string>(), tree.Single()!["tail_start_id"]!.GetValue<string>(), tree.Single()!["tokens_before"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_session_tree_compaction_reads_back_as_a_compaction_custom_entry()
    {
        var sid = await F.Ensure();
        var ids = await F.AppendUsers(sid, 3);
        await F.Ok("session-tree::compact", $$$"""{"session_id":"{{{sid}}}","summary":"tree summary","tail_start_id":"{{{ids[1]}}}","tokens_before":4}""");

        var marker = (await F.Ok("session::messages", $$$"""{"session_id":"{{{sid}}}","include_custom":true}"""))["messages"]![3]!["custom"]!;

        Assert.Equal(("compaction", "tree summary", ids[1], 4L), (marker["custom_type"]!.GetValue<string>(), marker["data"]!["summary"]!.GetValue<string>(),
            marker["data"]!["tail_start_entry_id"]!.GetValue<string>(), marker["data"]!["tokens_before"]!.GetValue<long>()));
    }
}
