using Harness.Events;
using Harness.Messages;
using Harness.Sessions;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Harness.Validation;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Sessions;

/// <summary>The branching session tree and its inboxes, on PostgreSQL storage.</summary>
public sealed class SessionTreeTests : IAsyncLifetime
{
    private HarnessCluster _h = null!;

    public async ValueTask InitializeAsync() => _h = await HarnessCluster.StartAsync();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private ISessionGrain Session(string id) => _h.Grains.GetGrain<ISessionGrain>(id);

    private static SessionAppendRequest Append(string sid, string[] texts, string[] ids, string? parent = null) => new()
    {
        SessionId = sid,
        Messages = [.. texts.Select(t => AgentMessage.User(t, 1))],
        EntryIds = ids,
        ParentId = parent,
    };

    [Fact]
    public async Task Append_with_entry_ids_is_idempotent()
    {
        var sid = Runs.NewSession();
        await Session(sid).AppendBatch(Append(sid, ["a", "b"], ["1", "2"]));

        var again = await Session(sid).AppendBatch(Append(sid, ["a", "b"], ["1", "2"]));

        Assert.Equal(0, again.Appended);
        await _h.Cluster.DeactivateAsync(Session(sid));
        var window = await Session(sid).Messages();
        Assert.Equal(["a", "b"], window.Messages.Select(m => m.Text));
        Assert.Equal(["1", "2"], window.EntryIds);
    }

    [Fact]
    public async Task Fork_from_an_earlier_entry_branches_and_the_active_path_follows_the_new_leaf()
    {
        var sid = Runs.NewSession();
        await Session(sid).AppendBatch(Append(sid, ["root", "left"], ["r", "l"]));

        await Session(sid).MoveLeaf("r");
        await Session(sid).AppendBatch(Append(sid, ["right"], ["x"]));

        var window = await Session(sid).Messages();
        Assert.Equal(["root", "right"], window.Messages.Select(m => m.Text));
        var tree = await Session(sid).Entries();
        Assert.Equal(3, tree.Entries.Count);
        Assert.Equal("x", tree.LeafId);
        Assert.Equal("r", tree.Entries.Single(e => e.Id == "l").ParentId);
        Assert.Equal("r", tree.Entries.Single(e => e.Id == "x").ParentId);
        await Session(sid).MoveLeaf("l");
        Assert.Equal(["root", "left"], (await Session(sid).Messages()).Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Compaction_makes_the_window_summary_plus_tail()
    {
        var sid = Runs.NewSession();
        await Session(sid).AppendBatch(Append(sid, ["one", "two", "three"], ["1", "2", "3"]));

        await Session(sid).AddCompaction(new CompactionRequest { SessionId = sid, EntryId = "c1", Summary = "talked about numbers", TailStartId = "3" });
        await Session(sid).AppendBatch(Append(sid, ["four"], ["4"]));

        var window = await Session(sid).Messages();
        Assert.Equal("talked about numbers", window.Summary);
        Assert.Equal("c1", window.CompactionEntryId);
        Assert.Equal(["three", "four"], window.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_changes_nothing()
    {
        var sid = Runs.NewSession();
        await Session(sid).AppendBatch(Append(sid, ["keep"], ["k"]));

        var unknownParent = await Assert.ThrowsAsync<PayloadValidationException>(() => Session(sid).AppendBatch(Append(sid, ["x"], ["y"], parent: "nope")));
        var mismatched = await Assert.ThrowsAsync<PayloadValidationException>(() => Session(sid).AppendBatch(Append(sid, ["x", "y"], ["only-one"])));
        var unknownFork = await Assert.ThrowsAsync<PayloadValidationException>(() => Session(sid).MoveLeaf("ghost"));
        var badInbox = await Assert.ThrowsAsync<PayloadValidationException>(() => Session(sid).PushInbox("later", AgentMessage.User("x", 1)));

        Assert.Equal("parent_id", unknownParent.Field);
        Assert.Equal("entry_ids", mismatched.Field);
        Assert.Equal("entry_id", unknownFork.Field);
        Assert.Equal("name", badInbox.Field);
        var tree = await Session(sid).Entries();
        Assert.Equal(["k"], tree.Entries.Select(e => e.Id));
        Assert.Equal("k", tree.LeafId);
    }

    [Fact]
    public async Task Moving_the_inbox_twice_with_the_same_prefix_neither_loses_nor_duplicates()
    {
        var sid = Runs.NewSession();
        await Session(sid).PushInbox(InboxNames.Steering, AgentMessage.User("steer", 1));

        var first = await Session(sid).MoveInboxToTree(InboxNames.Steering, "t1-inbox");
        await Session(sid).PushInbox(InboxNames.Steering, AgentMessage.User("later", 2));
        var replay = await Session(sid).MoveInboxToTree(InboxNames.Steering, "t1-inbox");

        Assert.Equal(["steer"], first.Items.Select(m => m.Text));
        Assert.Equal(["steer"], replay.Items.Select(m => m.Text));
        Assert.Equal(1, await Session(sid).InboxCount(InboxNames.Steering));
        Assert.Equal(["steer"], (await Session(sid).Messages()).Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Replaying_an_append_after_the_inbox_moved_in_keeps_the_steering_message_on_the_active_path()
    {
        // What a steering_check re-run does (its silo died, or its write was lost, after it moved the inbox in): the
        // round's append again, then the inbox move again. The replay used to move the leaf back to its last id.
        var sid = Runs.NewSession();
        await Session(sid).AppendBatch(Append(sid, ["go"], ["u"]));
        await Session(sid).PushInbox(InboxNames.Steering, AgentMessage.User("steer", 2));
        var round = Append(sid, ["assistant", "result"], ["a", "fr"]);
        await Session(sid).AppendBatch(round);
        await Session(sid).MoveInboxToTree(InboxNames.Steering, "t1-inbox-steering");

        var replay = await Session(sid).AppendBatch(round);
        await Session(sid).MoveInboxToTree(InboxNames.Steering, "t1-inbox-steering");
        await Session(sid).AppendBatch(Append(sid, ["done"], ["t2"]));

        Assert.Equal(0, replay.Appended);
        Assert.Equal("t1-inbox-steering-0", replay.LeafId);
        await _h.Cluster.DeactivateAsync(Session(sid));
        Assert.Equal(["go", "assistant", "result", "steer", "done"], (await Session(sid).Messages()).Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Steering_message_sent_during_a_running_tool_call_is_folded_into_the_next_model_turn()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Tools.Register("test::slow", async (_, ct) => { entered.TrySetResult(); await release.Task.WaitAsync(ct); return WireJson.Parse("\"slow done\""); });
        var model = _h.Workspace.WriteScript("steer", Rounds($"{Call("s1", "test::slow")}", $"{Text("answered the steering")}"));
        var sid = Runs.NewSession();
        await using var events = await _h.RecordAsync(sid);
        await _h.Turn(sid).Start(Runs.Start(sid, model, text: "start"));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await Session(sid).PushInbox(InboxNames.Steering, AgentMessage.User("also do this", 2));
        release.SetResult();

        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        var window = await Session(sid).Messages();
        Assert.Equal(
            [(Roles.User, "start"), (Roles.Assistant, ""), (Roles.FunctionResult, "slow done"), (Roles.User, "also do this"), (Roles.Assistant, "answered the steering")],
            window.Messages.Select(m => (m.Role, m.Text)));
        Assert.Equal(0, await Session(sid).InboxCount(InboxNames.Steering));
        await events.WaitForAsync(e => e.Type == AgentEventTypes.AgentEnd);
        Assert.Equal(2, events.Events.Count(e => e.Type == AgentEventTypes.TurnEnd));
    }

    [Fact]
    public async Task Followup_is_drained_only_when_no_steering_is_queued()
    {
        var sid = Runs.NewSession();
        var model = _h.Workspace.WriteScript("follow", Rounds(Text("first"), Text("second"), Text("third")));
        await Session(sid).PushInbox(InboxNames.Followup, AgentMessage.User("follow up", 2));
        await Session(sid).PushInbox(InboxNames.Steering, AgentMessage.User("steer", 3));

        await _h.Turn(sid).Start(Runs.Start(sid, model, text: "go"));

        await _h.WaitForTerminalAsync(sid);
        var window = await Session(sid).Messages();
        Assert.Equal(["go", "first", "steer", "second", "follow up", "third"], window.Messages.Select(m => m.Text));
    }
}
