using Harness.Messages;
using Harness.Sessions;
using Harness.Tests.Infrastructure;
using static Harness.Tests.Sessions.SessionFunctions;

namespace Harness.Tests.Sessions;

/// <summary>
/// <c>session-tree::list</c> over the session directory, each test on a fresh service so it sees only its sessions;
/// the index and the trees survive a full cluster restart on PostgreSQL.
/// </summary>
public sealed class SessionListTests
{
    [Fact]
    public async Task List_orders_by_updated_at_pages_with_limit_and_offset_and_counts_the_total()
    {
        await using var h = await HarnessCluster.StartAsync();
        var f = new SessionFunctions(h.Grains);
        var a = await f.NewSession("a", "/a");
        await Task.Delay(5);
        var b = await f.NewSession("b");
        await Task.Delay(5);
        var c = await f.NewSession("c");
        await Task.Delay(5);
        await f.Append(a, User("touched last so listed first"));

        var all = await f.Call("session-tree::list", "{}");
        var asc = await f.Call("session-tree::list", """{"order":"asc"}""");
        var page = await f.Call("session-tree::list", """{"limit":1,"offset":1}""");

        Assert.Equal([a, c, b], Ids(all));
        Assert.Equal([b, c, a], Ids(asc));
        Assert.Equal([c], Ids(page));
        Assert.Equal(3, page["total"]!.GetValue<int>());
        var row = all["sessions"]![0]!;
        Assert.Equal(("a", "/a", 1), (row["display_name"]!.GetValue<string>(), row["cwd"]!.GetValue<string>(), row["entry_count"]!.GetValue<int>()));
        Assert.True(row["updated_at"]!.GetValue<long>() > row["created_at"]!.GetValue<long>());

        static List<string> Ids(System.Text.Json.Nodes.JsonNode list) => [.. list["sessions"]!.AsArray().Select(s => s!["session_id"]!.GetValue<string>())];
    }

    [Fact]
    public async Task Last_message_summary_is_the_first_80_characters_of_the_last_user_or_assistant_text()
    {
        await using var h = await HarnessCluster.StartAsync();
        var f = new SessionFunctions(h.Grains);
        var talk = await f.NewSession();
        var tool = await f.NewSession();
        var empty = await f.NewSession();
        var long100 = new string('x', 100);
        await f.AppendBatch(talk, User("first"), Assistant(long100));
        await f.AppendBatch(tool, User("run it"), Result("c1", "t::x", "result text"));

        var rows = (await f.Call("session-tree::list", "{}"))["sessions"]!.AsArray().ToDictionary(r => r!["session_id"]!.GetValue<string>());

        Assert.Equal(new string('x', 80), rows[talk]!["last_message_summary"]!.GetValue<string>());
        Assert.Null(rows[tool]!["last_message_summary"]);
        Assert.Null(rows[empty]!["last_message_summary"]);
        Assert.Equal(2, rows[tool]!["entry_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Sessions_and_the_index_survive_a_full_cluster_restart()
    {
        var first = await HarnessCluster.StartAsync();
        var f = new SessionFunctions(first.Grains);
        var sid = await f.NewSession("kept");
        var ids = await f.AppendBatch(sid, User("remember me"), Assistant("remembered"));
        await f.Call("session-tree::compact", $$"""{"session_id":"{{sid}}","summary":"s"}""");
        await first.StopAsync();

        await using var second = await HarnessCluster.StartAsync(serviceId: first.ServiceId, workspace: first.Workspace);
        var g = new SessionFunctions(second.Grains);
        // Read the index before any session grain is active again: the rows come from the directory's own storage.
        var list = await g.Call("session-tree::list", "{}");
        var row = Assert.Single(list["sessions"]!.AsArray())!;
        Assert.Equal((sid, "kept", 3, "remembered"), (row["session_id"]!.GetValue<string>(), row["display_name"]!.GetValue<string>(),
            row["entry_count"]!.GetValue<int>(), row["last_message_summary"]!.GetValue<string>()));
        Assert.Equal([(ids[0], "remember me"), (ids[1], "remembered")], await g.Messages(sid));
        Assert.Single((await g.Call("session-tree::compactions", $$"""{"session_id":"{{sid}}"}"""))["entries"]!.AsArray());
        first.Workspace.Dispose();
    }

    [Fact]
    public async Task An_append_to_a_session_nobody_created_creates_it_and_lists_it()
    {
        await using var h = await HarnessCluster.StartAsync();
        var f = new SessionFunctions(h.Grains);
        var sid = Runs.NewSession();
        await h.Grains.GetGrain<ISessionGrain>(sid).AppendBatch(new SessionAppendRequest { SessionId = sid, Messages = [AgentMessage.User("old", 1)] });

        var list = await f.Call("session-tree::list", "{}");

        Assert.Equal(sid, Assert.Single(list["sessions"]!.AsArray())!["session_id"]!.GetValue<string>());
    }
}
