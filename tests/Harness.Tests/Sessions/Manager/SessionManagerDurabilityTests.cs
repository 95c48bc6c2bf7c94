using Harness.Tests.Infrastructure;

namespace Harness.Tests.Sessions.Manager;

/// <summary>Everything the C4 console stores survives a full cluster restart on PostgreSQL.</summary>
public sealed class SessionManagerDurabilityTests
{
    [Fact]
    public async Task Meta_status_draft_custom_entries_and_attachment_bytes_survive_a_full_cluster_restart()
    {
        var first = await HarnessCluster.StartAsync();
        var f = new ManagerFunctions(first.Grains);
        var sid = $"console-{Guid.NewGuid():N}";
        await f.Ok("session::ensure", $$$"""{"session_id":"{{{sid}}}","title":"kept","description":"d","metadata":{"surface":"console"}}""");
        var ids = await f.AppendUsers(sid, 3);
        await f.Ok("session::append", $$$"""{"session_id":"{{{sid}}}","custom":{"custom_type":"compaction","data":{"summary":"S","tail_start_entry_id":"{{{ids[1]}}}","tokens_before":3,"timestamp":1} }}""");
        await f.Ok("session::set-status", $$$"""{"session_id":"{{{sid}}}","status":"error","reason":"boom"}""");
        var bytes = Convert.ToBase64String([.. Enumerable.Range(0, 4096).Select(i => (byte)i)]);
        var attachment = (await f.Ok("session::put-attachment", $$$"""{"session_id":"{{{sid}}}","name":"blob.bin","mime":"application/octet-stream","data":"{{{bytes}}}"}"""))["attachment"]!["attachment_id"]!.GetValue<string>();
        await f.Ok("session::set-draft", $$$"""{"session_id":"{{{sid}}}","draft":"unsent","attachment_ids":["{{{attachment}}}"]}""");
        await first.StopAsync();

        await using var second = await HarnessCluster.StartAsync(serviceId: first.ServiceId, workspace: first.Workspace);
        var g = new ManagerFunctions(second.Grains);
        // The list comes from the directory's own rows, before the session grain is active again.
        var row = Assert.Single((await g.Ok("session::list", """{"limit":200,"order":"updated_desc"}"""))["sessions"]!.AsArray())!;
        Assert.Equal((sid, "kept", "d", "error", "console", 3), (row["session_id"]!.GetValue<string>(), row["title"]!.GetValue<string>(), row["description"]!.GetValue<string>(),
            row["status"]!.GetValue<string>(), row["metadata"]!["surface"]!.GetValue<string>(), row["message_count"]!.GetValue<int>()));
        var meta = (await g.Ok("session::get", $$$"""{"session_id":"{{{sid}}}"}"""))["meta"]!;
        Assert.Equal(("unsent", attachment, "boom"), (meta["draft"]!.GetValue<string>(), meta["draft_attachments"]![0]!["attachment_id"]!.GetValue<string>(), meta["status_reason"]!.GetValue<string>()));
        Assert.Equal(bytes, (await g.Ok("session::get-attachment", $$$"""{"session_id":"{{{sid}}}","attachment_id":"{{{attachment}}}"}"""))["data"]!.GetValue<string>());
        Assert.Equal([[.. ids, (await g.Ok("session::messages", $$$"""{"session_id":"{{{sid}}}","include_custom":true}"""))["messages"]![3]!["entry_id"]!.GetValue<string>()]],
            await g.Pages(sid, 10, includeCustom: true));
        var window = await second.Grains.GetGrain<Harness.Sessions.ISessionGrain>(sid).Messages();
        Assert.Equal(("S", ids[1]), (window.Summary, window.EntryIds[0]));
        first.Workspace.Dispose();
    }
}
