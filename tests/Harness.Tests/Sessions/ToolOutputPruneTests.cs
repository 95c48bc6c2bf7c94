using System.Text.Json.Nodes;
using Harness.Sessions;
using Harness.Tests.Infrastructure;
using static Harness.Tests.Sessions.SessionFunctions;

namespace Harness.Tests.Sessions;

/// <summary>
/// <c>context-compaction::prune_tool_outputs</c> on PostgreSQL, with small thresholds (protect 100 tokens, prune
/// only when 50 are freed) so outputs of a few hundred characters exercise every rule.
/// </summary>
public sealed class ToolOutputPruneTests(SessionWorkerFixture fixture) : IClassFixture<SessionWorkerFixture>
{
    private readonly SessionFunctions _f = new(fixture.H.Grains, new ToolOutputPruneOptions { ProtectTokens = 100, MinFreeTokens = 50, ProtectedTools = ["keep::me"] });

    /// <summary>An output of <paramref name="tokens"/> tokens (four characters each).</summary>
    private static string Output(int tokens) => new('o', tokens * 4);

    private Task<JsonNode> Prune(string sid) => _f.Call("context-compaction::prune_tool_outputs", $$"""{"session_id":"{{sid}}"}""");

    private async Task<List<string>> Texts(string sid) =>
        [.. (await _f.Call("session-tree::messages", $$"""{"session_id":"{{sid}}"}"""))["messages"]!.AsArray().Select(m => m!["message"]!["content"]![0]!["text"]!.GetValue<string>())];

    [Fact]
    public async Task Outputs_beyond_the_protected_tokens_are_pruned_except_the_latest_two_user_turns_and_protected_tools()
    {
        var sid = await _f.NewSession();
        await _f.AppendBatch(sid,
            User("turn 1"), Result("c1", "fs::read", Output(80)), Result("c2", "keep::me", Output(500)),
            User("turn 2"), Result("c3", "fs::read", Output(60)), Result("c4", "fs::read", Output(70)),
            User("turn 3"), Result("c5", "fs::read", Output(900)),
            User("turn 4"), Result("c6", "fs::read", Output(900)));

        var result = await Prune(sid);

        // Newest first outside the last two user turns: c4 (70, kept: 70 ≤ 100), c3 (60: 130 > 100, pruned),
        // c1 (80, pruned); c2 is a protected tool, c5 and c6 are in the latest two turns.
        Assert.Equal((140L, 2, 3), (result["pruned_tokens"]!.GetValue<long>(), result["pruned_parts"]!.GetValue<int>(), result["scanned_parts"]!.GetValue<int>()));
        Assert.Null(result["busy"]);
        await fixture.H.Cluster.DeactivateAsync(fixture.H.Grains.GetGrain<ISessionGrain>(sid));
        var texts = await Texts(sid);
        Assert.Equal(["[output pruned]", Output(500), "[output pruned]", Output(70), Output(900), Output(900)],
            texts.Where(t => !t.StartsWith("turn", StringComparison.Ordinal)));
        var pruned = (await _f.Call("session-tree::messages", $$"""{"session_id":"{{sid}}"}"""))["messages"]![1]!["message"]!["details"]!;
        Assert.True(pruned["kept"]!.GetValue<bool>());
        Assert.True(pruned["compacted_at"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Nothing_is_pruned_when_it_would_free_less_than_the_minimum()
    {
        var sid = await _f.NewSession();
        await _f.AppendBatch(sid,
            User("turn 1"), Result("c1", "fs::read", Output(40)), Result("c2", "fs::read", Output(100)),
            User("turn 2"), User("turn 3"));

        var result = await Prune(sid);

        // c2 fills the protected 100 tokens; c1's 40 would be freed, under the 50-token minimum.
        Assert.Equal((0L, 0, 2), (result["pruned_tokens"]!.GetValue<long>(), result["pruned_parts"]!.GetValue<int>(), result["scanned_parts"]!.GetValue<int>()));
        Assert.DoesNotContain("[output pruned]", await Texts(sid));
    }

    [Fact]
    public async Task A_prune_while_the_sessions_prune_lease_is_held_answers_busy_and_changes_nothing()
    {
        var sid = await _f.NewSession();
        await _f.AppendBatch(sid, User("turn 1"), Result("c1", "fs::read", Output(500)), User("turn 2"), User("turn 3"));
        var session = fixture.H.Grains.GetGrain<ISessionGrain>(sid);
        Assert.True(await session.TryAcquireLease(ToolOutputPruner.LeaseName, "someone-else", TimeSpan.FromMinutes(5)));

        var busy = await Prune(sid);
        await session.ReleaseLease(ToolOutputPruner.LeaseName, "someone-else");
        var after = await Prune(sid);

        Assert.True(busy["busy"]!.GetValue<bool>());
        Assert.Equal((0L, 0, 0), (busy["pruned_tokens"]!.GetValue<long>(), busy["pruned_parts"]!.GetValue<int>(), busy["scanned_parts"]!.GetValue<int>()));
        Assert.Equal(1, after["pruned_parts"]!.GetValue<int>());
        Assert.Null(after["busy"]);
    }
}
