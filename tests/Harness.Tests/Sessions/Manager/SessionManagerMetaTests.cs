namespace Harness.Tests.Sessions.Manager;

/// <summary>Ensure, rename, draft, status, delete and the list as the C4 console's sidebar reads them.</summary>
public sealed class SessionManagerMetaTests(SessionManagerFixture fixture) : IClassFixture<SessionManagerFixture>
{
    private ManagerFunctions F => fixture.F;

    [Fact]
    public async Task Ensure_creates_once_with_its_fields_and_is_a_pure_read_afterwards()
    {
        var sid = $"console-{Guid.NewGuid():N}";

        var first = await F.Ok("session::ensure", $$$"""{"session_id":"{{{sid}}}","title":"first","metadata":{"surface":"console"}}""");
        var again = await F.Ok("session::ensure", $$$"""{"session_id":"{{{sid}}}","title":"second"}""");

        Assert.True(first["created"]!.GetValue<bool>());
        Assert.False(again["created"]!.GetValue<bool>());
        var meta = again["meta"]!;
        Assert.Equal(("first", "", "idle", "console", 0), (meta["title"]!.GetValue<string>(), meta["description"]!.GetValue<string>(),
            meta["status"]!.GetValue<string>(), meta["metadata"]!["surface"]!.GetValue<string>(), meta["message_count"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Set_meta_replaces_the_given_fields_and_metadata_wholesale_and_the_list_shows_them()
    {
        var sid = await F.Ensure("old");
        await F.Ok("session::set-meta", $$$"""{"session_id":"{{{sid}}}","metadata":{"a":1,"b":2}}""");

        var meta = (await F.Ok("session::set-meta", $$$"""{"session_id":"{{{sid}}}","title":"renamed","metadata":{"c":3}}"""))["meta"]!;

        Assert.Equal("renamed", meta["title"]!.GetValue<string>());
        Assert.Equal("""{"c":3}""", meta["metadata"]!.ToJsonString());
        var listed = (await F.Ok("session::list", """{"limit":200,"order":"updated_desc","metadata":{"c":3}}"""))["sessions"]!.AsArray();
        Assert.Equal(("renamed", sid), (listed.Single()!["title"]!.GetValue<string>(), listed.Single()!["session_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_draft_parks_text_and_attachments_without_touching_updated_at()
    {
        var sid = await F.Ensure();
        var a1 = (await F.Ok("session::put-attachment", $$$"""{"session_id":"{{{sid}}}","name":"one.txt","mime":"text/plain","data":"aGVsbG8="}"""))["attachment"]!["attachment_id"]!.GetValue<string>();
        var a2 = (await F.Ok("session::put-attachment", $$$"""{"session_id":"{{{sid}}}","name":"two.txt","mime":"","data":"eHl6"}"""))["attachment"]!["attachment_id"]!.GetValue<string>();
        var before = (await F.Ok("session::get", $$$"""{"session_id":"{{{sid}}}"}"""))["meta"]!["updated_at"]!.GetValue<long>();

        var parked = await F.Ok("session::set-draft", $$$"""{"session_id":"{{{sid}}}","draft":"typing","attachment_ids":["{{{a2}}}","{{{a1}}}","{{{a2}}}"]}""");
        var textOnly = await F.Ok("session::set-draft", $$$"""{"session_id":"{{{sid}}}","draft":"typing more"}""");

        Assert.Equal([a2, a1], parked["attachments"]!.AsArray().Select(a => a!["attachment_id"]!.GetValue<string>()));
        Assert.Equal("application/octet-stream", parked["attachments"]![0]!["mime"]!.GetValue<string>());
        Assert.Equal(2, textOnly["attachments"]!.AsArray().Count);
        var meta = (await F.Ok("session::get", $$$"""{"session_id":"{{{sid}}}"}"""))["meta"]!;
        Assert.Equal(("typing more", 2, before), (meta["draft"]!.GetValue<string>(), meta["draft_attachments"]!.AsArray().Count, meta["updated_at"]!.GetValue<long>()));

        var cleared = await F.Ok("session::set-draft", $$$"""{"session_id":"{{{sid}}}","attachment_ids":[]}""");
        Assert.Null(cleared["draft"]);
        Assert.Empty(cleared["attachments"]!.AsArray());
        var after = (await F.Ok("session::get", $$$"""{"session_id":"{{{sid}}}"}"""))["meta"]!;
        Assert.Null(after["draft"]);
        Assert.Null(after["draft_attachments"]);
    }

    [Fact]
    public async Task Set_status_reports_the_previous_status_keeps_a_reason_only_with_error_and_a_repeat_changes_nothing()
    {
        var sid = await F.Ensure();

        var working = await F.Ok("session::set-status", $$$"""{"session_id":"{{{sid}}}","status":"working","reason":"ignored"}""");
        var error = await F.Ok("session::set-status", $$$"""{"session_id":"{{{sid}}}","status":"error","reason":"boom"}""");
        var repeat = await F.Ok("session::set-status", $$$"""{"session_id":"{{{sid}}}","status":"error","reason":"other"}""");

        Assert.Equal(("working", "idle", true), (working["status"]!.GetValue<string>(), working["previous_status"]!.GetValue<string>(), working["changed"]!.GetValue<bool>()));
        Assert.Equal("working", error["previous_status"]!.GetValue<string>());
        Assert.False(repeat["changed"]!.GetValue<bool>());
        var meta = (await F.Ok("session::get", $$$"""{"session_id":"{{{sid}}}"}"""))["meta"]!;
        Assert.Equal(("error", "boom"), (meta["status"]!.GetValue<string>(), meta["status_reason"]!.GetValue<string>()));
        Assert.Contains((await F.Ok("session::list", """{"status":"error","limit":500}"""))["sessions"]!.AsArray(), s => s!["session_id"]!.GetValue<string>() == sid);
    }

    [Fact]
    public async Task The_list_pages_by_cursor_in_the_requested_order()
    {
        var tag = Guid.NewGuid().ToString("N");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var sid = $"console-{Guid.NewGuid():N}";
            await F.Ok("session::ensure", $$$"""{"session_id":"{{{sid}}}","metadata":{"tag":"{{{tag}}}"}}""");
            ids.Add(sid);
            await Task.Delay(2);  // distinct created_at, so the order is the creation order
        }
        var seen = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 10; page++)
        {
            var cursorJson = cursor is null ? "" : $$$""","cursor":"{{{cursor}}}" """;
            var reply = await F.Ok("session::list", $$$"""{"limit":2,"order":"created_asc","metadata":{"tag":"{{{tag}}}"}{{{cursorJson}}}}""");
            seen.AddRange(reply["sessions"]!.AsArray().Select(s => s!["session_id"]!.GetValue<string>()));
            cursor = reply["next_cursor"]?.GetValue<string>();
            if (cursor is null)
            {
                break;
            }
        }
        Assert.Equal(ids, seen);
        var first = (await F.Ok("session::list", $$$"""{"limit":2,"order":"created_asc","metadata":{"tag":"{{{tag}}}"}}"""))["next_cursor"]!.GetValue<string>();
        var mismatch = await F.Fails("session::list", $$$"""{"limit":2,"order":"updated_desc","cursor":"{{{first}}}"}""");
        Assert.Equal("cursor", mismatch.Field);
    }

    [Fact]
    public async Task Delete_removes_the_session_its_row_and_its_attachments_and_the_id_can_start_afresh()
    {
        var sid = await F.Ensure("doomed");
        await F.AppendUsers(sid, 2);
        var attachment = (await F.Ok("session::put-attachment", $$$"""{"session_id":"{{{sid}}}","name":"x.txt","mime":"text/plain","data":"aGVsbG8="}"""))["attachment"]!["attachment_id"]!.GetValue<string>();

        Assert.True((await F.Ok("session::delete", $$$"""{"session_id":"{{{sid}}}"}"""))["deleted"]!.GetValue<bool>());

        Assert.Null(await F.Call("session::get", $$$"""{"session_id":"{{{sid}}}"}"""));
        Assert.DoesNotContain((await F.Ok("session::list", """{"limit":500}"""))["sessions"]!.AsArray(), s => s!["session_id"]!.GetValue<string>() == sid);
        var fresh = await F.Ok("session::ensure", $$$"""{"session_id":"{{{sid}}}"}""");
        Assert.True(fresh["created"]!.GetValue<bool>());
        Assert.Equal(("", 0), (fresh["meta"]!["title"]!.GetValue<string>(), fresh["meta"]!["message_count"]!.GetValue<int>()));
        Assert.Null(await F.Call("session::get-attachment", $$$"""{"session_id":"{{{sid}}}","attachment_id":"{{{attachment}}}"}"""));
    }
}
