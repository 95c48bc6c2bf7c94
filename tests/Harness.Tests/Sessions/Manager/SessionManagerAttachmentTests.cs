namespace Harness.Tests.Sessions.Manager;

/// <summary>Attachments: byte-exact read back, the size limit (8 bytes in this fixture), metadata-only reads, in-use refusal.</summary>
public sealed class SessionManagerAttachmentTests(SessionManagerFixture fixture) : IClassFixture<SessionManagerFixture>
{
    private ManagerFunctions F => fixture.F;

    [Fact]
    public async Task An_upload_reads_back_byte_for_byte_with_its_metadata_and_a_file_block()
    {
        var sid = await F.Ensure();

        var stored = await F.Ok("session::put-attachment", $$$"""{"session_id":"{{{sid}}}","name":"hello.txt","mime":"text/plain","data":"aGVsbG8="}""");
        var id = stored["attachment"]!["attachment_id"]!.GetValue<string>();
        var read = await F.Ok("session::get-attachment", $$$"""{"session_id":"{{{sid}}}","attachment_id":"{{{id}}}"}""");
        var metaOnly = await F.Ok("session::get-attachment", $$$"""{"session_id":"{{{sid}}}","attachment_id":"{{{id}}}","include_data":false}""");

        var meta = stored["attachment"]!;
        Assert.Equal((sid, "hello.txt", "text/plain", 5L, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
            (meta["session_id"]!.GetValue<string>(), meta["name"]!.GetValue<string>(), meta["mime"]!.GetValue<string>(), meta["size"]!.GetValue<long>(), meta["sha256"]!.GetValue<string>()));
        var block = stored["block"]!;
        Assert.Equal(("file", id, "hello.txt", 5L), (block["type"]!.GetValue<string>(), block["attachment_id"]!.GetValue<string>(), block["name"]!.GetValue<string>(), block["size"]!.GetValue<long>()));
        Assert.Equal("aGVsbG8=", read["data"]!.GetValue<string>());
        Assert.Null(metaOnly["data"]);
        Assert.Equal(5L, metaOnly["attachment"]!["size"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_refused_with_attachment_too_large_and_one_at_the_limit_is_kept()
    {
        var sid = await F.Ensure();

        var tooLarge = await F.Fails("session::put-attachment", $$$"""{"session_id":"{{{sid}}}","name":"big.bin","mime":"application/octet-stream","data":"{{{Convert.ToBase64String(new byte[9])}}}"}""");
        var atLimit = await F.Ok("session::put-attachment", $$$"""{"session_id":"{{{sid}}}","name":"ok.bin","mime":"application/octet-stream","data":"{{{Convert.ToBase64String(new byte[8])}}}"}""");

        Assert.Equal("session/attachment_too_large", tooLarge.Code);
        Assert.Contains("8-byte limit", tooLarge.Detail);
        Assert.Equal(8L, atLimit["attachment"]!["size"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_attachment_a_stored_message_references_cannot_be_deleted_and_a_draft_one_can()
    {
        var sid = await F.Ensure();
        var sent = (await F.Ok("session::put-attachment", $$$"""{"session_id":"{{{sid}}}","name":"sent.txt","mime":"text/plain","data":"aGVsbG8="}"""))["block"]!;
        var draft = (await F.Ok("session::put-attachment", $$$"""{"session_id":"{{{sid}}}","name":"draft.txt","mime":"text/plain","data":"eHl6"}"""))["attachment"]!["attachment_id"]!.GetValue<string>();
        await F.Ok("session::append", $$$"""{"session_id":"{{{sid}}}","message":{"role":"user","timestamp":1,"content":[{"type":"text","text":"read this"},{{{sent.ToJsonString()}}}]}}""");
        await F.Ok("session::set-draft", $$$"""{"session_id":"{{{sid}}}","draft":"x","attachment_ids":["{{{draft}}}"]}""");
        var sentId = sent["attachment_id"]!.GetValue<string>();

        var inUse = await F.Fails("session::delete-attachment", $$$"""{"session_id":"{{{sid}}}","attachment_id":"{{{sentId}}}"}""");
        var deleted = await F.Ok("session::delete-attachment", $$$"""{"session_id":"{{{sid}}}","attachment_id":"{{{draft}}}"}""");

        Assert.Equal("session/attachment_in_use", inUse.Code);
        Assert.True(deleted["deleted"]!.GetValue<bool>());
        Assert.Null((await F.Ok("session::get", $$$"""{"session_id":"{{{sid}}}"}"""))["meta"]!["draft_attachments"]);
        Assert.Equal("aGVsbG8=", (await F.Ok("session::get-attachment", $$$"""{"session_id":"{{{sid}}}","attachment_id":"{{{sentId}}}"}"""))["data"]!.GetValue<string>());
        // The file block survived the transcript round trip with every field the console re-hydrates chips from.
        var block = (await F.Ok("session::messages", $$$"""{"session_id":"{{{sid}}}"}"""))["messages"]![0]!["message"]!["content"]![1]!;
        Assert.Equal(sent.ToJsonString(), block.ToJsonString());
    }
}
