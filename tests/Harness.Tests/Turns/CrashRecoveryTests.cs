using Harness.Messages;
using Harness.Sessions;
using Harness.Tests.Infrastructure;
using Harness.Tests.Storage;
using Harness.Turns;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Turns;

/// <summary>
/// Durability: the silo process crashes (FailFast at a named point, like kill -9) in the middle of a turn with a
/// side-effecting tool call, then a fresh silo process on the same database finishes the turn. No tool runs twice
/// and no message is lost or duplicated.
/// </summary>
public sealed class CrashRecoveryTests
{
    public static TheoryData<string> CrashPoints =>
    [
        "after_save:provisioning",
        "after_save:assistant_streaming",
        "stream_event",
        "after_save:function_execute",
        "before_invoke",
        "after_invoke",
        "after_save:steering_check",
        "inline:steering_check",
    ];

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public async Task Turn_resumes_after_the_silo_crashes_and_never_repeats_the_tool(string crashAt)
    {
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules:\n  - \"demo::*\"\n");
        var sid = Runs.NewSession();
        var model = workspace.WriteScript("crash", Rounds(
            $$"""{{Text("writing it down")}},{{Call("w1", "demo::append_line", $$"""{"file":"{{sid}}.log","line":"side effect"}""")}},{{Stop("function_call")}}""",
            $"{Text("written")},{Stop("end")}"));
        var demoDir = Path.Combine(workspace.Root, "demo");
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = new SiloSettings($"crash-{id}", $"crash-{id}", PostgresDatabase.ConnectionString, workspace, demoDir);

        await using (var doomed = SiloProcess.Start(settings, new Dictionary<string, string> { ["Harness__Faults__CrashAt"] = crashAt }))
        {
            await using var client = await ClusterClient.ConnectAsync(settings.ClusterId, settings.ServiceId, settings.ConnectionString);
            try
            {
                await client.Client.GetGrain<ITurnGrain>(sid).Start(Runs.Start(sid, model));
            }
            catch (Exception)
            {
                // Crashing right after the first save kills the silo before it can answer run::start.
            }
            Assert.True(await doomed.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"silo did not crash at {crashAt}:\n{doomed.Output}");
            Assert.NotEqual(0, doomed.ExitCode);
        }

        await using var survivor = SiloProcess.Start(settings);
        await using var client2 = await ClusterClient.ConnectAsync(settings.ClusterId, settings.ServiceId, settings.ConnectionString);
        var view = await PollUntilStoppedAsync(client2.Client.GetGrain<ITurnGrain>(sid));
        Assert.True(view?.State == TurnStates.Stopped, $"turn did not finish after restart (state {view?.State}):\n{survivor.Output}");

        var sideEffects = File.Exists(Path.Combine(demoDir, sid + ".log")) ? File.ReadAllLines(Path.Combine(demoDir, sid + ".log")).Length : 0;
        var transcript = await client2.Client.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal([Roles.User, Roles.Assistant, Roles.FunctionResult, Roles.Assistant], transcript.Messages.Select(m => m.Role));
        Assert.Equal(["writing it down", "written"], transcript.Messages.Where(m => m.Role == Roles.Assistant).Select(m => m.Text));
        var result = transcript.Messages.Single(m => m.Role == Roles.FunctionResult);
        switch (crashAt)
        {
            case "before_invoke":
                // Triggered was on disk, the call was not made: at most once means it is reported, never retried.
                Assert.Equal(0, sideEffects);
                Assert.Equal(FunctionOutcomes.InterruptedText, result.Text);
                Assert.True(result.IsError);
                break;
            case "after_invoke":
                Assert.Equal(1, sideEffects);
                Assert.Equal(FunctionOutcomes.InterruptedText, result.Text);
                break;
            default:
                Assert.Equal(1, sideEffects);
                Assert.False(result.IsError);
                Assert.Contains("\"lines\":1", result.Text);
                break;
        }
    }

    [Fact]
    public async Task Steering_message_moved_in_before_the_silo_crashed_stays_in_the_transcript()
    {
        // The soak's lost steering message: steering_check moved the inbox into the tree, the silo died before the
        // step was stored, and the re-run's replayed round append moved the leaf back over the steering message.
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules:\n  - \"demo::*\"\n");
        var sid = Runs.NewSession();
        var model = workspace.WriteScript("steer-crash", Rounds(
            $$"""{{Call("w1", "demo::echo", """{"text":"hi"}""")}},{{Stop("function_call")}}""",
            $"{Text("steered")},{Stop("end")}"));
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = new SiloSettings($"steer-{id}", $"steer-{id}", PostgresDatabase.ConnectionString, workspace, Path.Combine(workspace.Root, "demo"));
        await using (var doomed = SiloProcess.Start(settings, new Dictionary<string, string> { ["Harness__Faults__CrashAt"] = "after_inbox_move" }))
        {
            await using var client = await ClusterClient.ConnectAsync(settings.ClusterId, settings.ServiceId, settings.ConnectionString);
            // Queued before the run: the first steering_check (after the tool round) moves it in, then the silo dies.
            await client.Client.GetGrain<ISessionGrain>(sid).PushInbox(InboxNames.Steering, AgentMessage.User("steer", 2));
            await client.Client.GetGrain<ITurnGrain>(sid).Start(Runs.Start(sid, model, text: "go"));
            Assert.True(await doomed.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"silo did not crash after the inbox move:\n{doomed.Output}");
        }

        await using var survivor = SiloProcess.Start(settings);
        await using var client2 = await ClusterClient.ConnectAsync(settings.ClusterId, settings.ServiceId, settings.ConnectionString);
        var view = await PollUntilStoppedAsync(client2.Client.GetGrain<ITurnGrain>(sid));
        Assert.True(view?.State == TurnStates.Stopped, $"turn did not finish after restart (state {view?.State}):\n{survivor.Output}");
        var session = client2.Client.GetGrain<ISessionGrain>(sid);
        var transcript = await session.Messages();
        Assert.Equal([Roles.User, Roles.Assistant, Roles.FunctionResult, Roles.User, Roles.Assistant], transcript.Messages.Select(m => m.Role));
        Assert.Equal(["go", "steer"], transcript.Messages.Where(m => m.Role == Roles.User).Select(m => m.Text));
        Assert.Equal("steered", transcript.Messages[^1].Text);
        Assert.Equal(0, await session.InboxCount(InboxNames.Steering));
    }

    [Fact]
    public async Task Durable_reminder_alone_resumes_a_crashed_turn_without_any_client_call()
    {
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules:\n  - \"demo::*\"\n");
        var sid = Runs.NewSession();
        var model = workspace.WriteScript("wake", Rounds(
            $$"""{{Call("w1", "demo::echo", """{"text":"hi"}""")}},{{Stop("function_call")}}""",
            $"{Text("done")},{Stop("end")}"));
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = new SiloSettings($"wake-{id}", $"wake-{id}", PostgresDatabase.ConnectionString, workspace, Path.Combine(workspace.Root, "demo"));
        await using (var doomed = SiloProcess.Start(settings, new Dictionary<string, string> { ["Harness__Faults__CrashAt"] = "after_save:function_execute" }))
        {
            await using var client = await ClusterClient.ConnectAsync(settings.ClusterId, settings.ServiceId, settings.ConnectionString);
            await client.Client.GetGrain<ITurnGrain>(sid).Start(Runs.Start(sid, model));
            Assert.True(await doomed.WaitForExitAsync(TimeSpan.FromSeconds(60)), doomed.Output);
        }
        Assert.Equal(TurnStates.FunctionExecute, await StoredStateAsync(settings.ServiceId, sid));

        await using var survivor = SiloProcess.Start(settings);

        // Nobody calls the grain: only the reminder row in PostgreSQL can wake it.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? stored = null;
        while (DateTime.UtcNow < deadline && stored != TurnStates.Stopped)
        {
            await Task.Delay(250);
            stored = await StoredStateAsync(settings.ServiceId, sid);
        }
        Assert.True(stored == TurnStates.Stopped, $"stored state {stored}:\n{survivor.Output}");
        // The stopped turn drops its wake-up at the reminder's next tick (bounded wait, a few periods at most).
        var reminders = -1L;
        for (var tries = 0; tries < 120 && reminders != 0; tries++)
        {
            await Task.Delay(250);
            reminders = await PostgresDatabase.ScalarAsync<long>(
                "select count(*) from orleansreminderstable where serviceid = $1 and grainid like '%' || $2", CancellationToken.None, settings.ServiceId, sid);
        }
        Assert.Equal(0, reminders);
    }

    /// <summary>The turn state as stored in the grain-state row (what survives any process).</summary>
    private static async Task<string?> StoredStateAsync(string serviceId, string sessionId)
    {
        var payload = await PostgresDatabase.ScalarAsync<byte[]>(
            "select payloadbinary from orleansstorage where serviceid = $1 and graintypestring = 'turn' and grainidextensionstring = $2",
            CancellationToken.None, serviceId, sessionId);
        if (payload is null)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(payload);
        return doc.RootElement.GetProperty("record").GetProperty("state").GetString();
    }

    /// <summary>Polls the survivor (every 250 ms, up to 60 s) until the turn is stopped; the last view read.</summary>
    private static async Task<TurnStateView?> PollUntilStoppedAsync(ITurnGrain turn)
    {
        TurnStateView? view = null;
        for (var tries = 0; tries < 240 && view?.State != TurnStates.Stopped; tries++)
        {
            await Task.Delay(250);
            try
            {
                view = await turn.GetState();
            }
            catch (Exception)
            {
                // The new silo may still be taking over the dead one's directory partition.
            }
        }
        return view;
    }
}
