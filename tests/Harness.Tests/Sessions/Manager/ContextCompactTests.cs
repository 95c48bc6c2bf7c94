using Harness.Tests.Infrastructure;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Sessions.Manager;

/// <summary>
/// The C4 console's <c>/compact</c>: <c>context::compact</c> summarises the messages it is sent through the session's
/// provider (scripted here) and stores nothing; the console's compaction record then shortens the next turn's window.
/// </summary>
public sealed class ContextCompactTests(SessionManagerFixture fixture) : IClassFixture<SessionManagerFixture>
{
    private ManagerFunctions F => fixture.F;

    private static string User(string text) => $$$"""{"role":"user","content":[{"type":"text","text":"{{{text}}}"}],"timestamp":1}""";

    private static string Assistant(string text) =>
        $$$"""{"role":"assistant","content":[{"type":"text","text":"{{{text}}}"}],"stop_reason":"end","model":"m","provider":"scripted","timestamp":2}""";

    [Fact]
    public async Task Compact_summarises_the_head_and_answers_where_the_kept_tail_starts()
    {
        var model = fixture.H.Workspace.WriteScript($"compact-{Guid.NewGuid():N}", """{"summary":"SUMMARY: the head",""" + Rounds($"{Text("unused")},{Stop("end")}")[1..]);
        var sid = await F.Ensure();
        var messages = string.Join(",", User("q1"), Assistant("a1"), User("q2"), Assistant("a2"), User("q3"));

        var reply = await F.Ok("context::compact", $$$"""
            {"messages":[{{{messages}}}],"model":{"id":"{{{model}}}","provider":"scripted","limits":{"context_window":200000,"max_output_tokens":4096}},"options":{"lease_key":"{{{sid}}}"}}
            """);
        Assert.True(reply["status"]!.GetValue<string>() == "ok", reply.ToJsonString());

        Assert.Equal(("ok", "SUMMARY: the head", 2, false), (reply["status"]!.GetValue<string>(), reply["summary"]!.GetValue<string>(),
            reply["tail_start_index"]!.GetValue<int>(), reply["used_prior_summary"]!.GetValue<bool>()));
        Assert.True(reply["tokens_before"]!.GetValue<long>() > 0);
        Assert.Empty((await F.Ok("session-tree::compactions", $$$"""{"session_id":"{{{sid}}}"}"""))["entries"]!.AsArray());
    }

    [Fact]
    public async Task Compact_of_nothing_or_of_one_turn_is_empty()
    {
        var empty = await F.Ok("context::compact", """{"messages":[],"model":{"id":"m","provider":"scripted"}}""");
        var oneTurn = await F.Ok("context::compact", $$$"""{"messages":[{{{User("only")}}},{{{Assistant("reply")}}}],"model":{"id":"m","provider":"scripted","limits":{"context_window":1000,"max_output_tokens":10} }}""");

        Assert.Equal("empty", empty["status"]!.GetValue<string>());
        Assert.Equal("empty", oneTurn["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_summariser_failure_is_overflow_with_its_message()
    {
        var reply = await F.Ok("context::compact", $$$"""
            {"messages":[{{{User("q1")}}},{{{Assistant("a1")}}},{{{User("q2")}}},{{{Assistant("a2")}}},{{{User("q3")}}}],"model":{"id":"m","provider":"nobody-serves-this","limits":{"context_window":200000,"max_output_tokens":10} }}
            """);

        Assert.Equal("overflow", reply["status"]!.GetValue<string>());
        Assert.Contains("nobody-serves-this", reply["message"]!.GetValue<string>());
    }
}
