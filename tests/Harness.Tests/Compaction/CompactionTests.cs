using Harness.Compaction;
using Harness.Events;
using Harness.Messages;
using Harness.Models;
using Harness.Providers;
using Harness.Providers.Scripted;
using Harness.Sessions;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Harness.Validation;
using Microsoft.Extensions.DependencyInjection;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Compaction;

/// <summary><c>compact_session</c> / <c>compact_now</c> (console-and-data §3.2) on a real cluster with the scripted provider.</summary>
public sealed class CompactionTests : IAsyncLifetime
{
    private HarnessCluster _h = null!;

    // Small prune thresholds (protect 100 tokens, prune when 50 are freed) so compact_now's prune step shows.
    public async ValueTask InitializeAsync() => _h = await HarnessCluster.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Harness:Compaction:Prune:ProtectTokens"] = "100",
        ["Harness:Compaction:Prune:MinFreeTokens"] = "50",
    });

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private ScriptedProvider Scripted =>
        _h.Cluster.Silos[0].ServiceProvider.GetServices<IModelProvider>().OfType<ScriptedProvider>().Single();

    private ICompactionGrain Compaction(string sid) => _h.Grains.GetGrain<ICompactionGrain>(sid);

    private string Model(string name, string extra = "") =>
        _h.Workspace.WriteScript(name, $$"""{"summary":"SUMMARY: earlier turns"{{extra}},"rounds":[{"events":[{{Text("fresh answer")}}]}]}""");

    /// <summary>Appends <paramref name="turns"/> user/assistant pairs with entry ids u{i}/a{i}.</summary>
    private async Task FillAsync(string sid, int turns, int chars, string model = "m")
    {
        var filler = new string('x', chars);
        var messages = Enumerable.Range(0, turns).SelectMany(i => new[]
        {
            AgentMessage.User($"q{i} {filler}", i),
            AgentMessage.EmptyAssistant("scripted", model, i) with { Content = [ContentBlock.OfText($"a{i} {filler}")] },
        }).ToList();
        await _h.Grains.GetGrain<ISessionGrain>(sid).AppendBatch(new SessionAppendRequest
        {
            SessionId = sid, Messages = messages, EntryIds = [.. Enumerable.Range(0, turns).SelectMany(i => new[] { $"u{i}", $"a{i}" })],
        });
    }

    private static CompactionModel ScriptedModel(string model, long? context = null) =>
        new() { Id = model, ProviderId = "scripted", Limit = context is null ? null : new ModelLimit { Context = context } };

    [Fact]
    public async Task Compact_session_summarises_all_but_the_last_two_turns_and_emits_compaction_done()
    {
        var model = Model("cs-ok");
        var sid = Runs.NewSession();
        await FillAsync(sid, turns: 4, chars: 20, model);
        await using var events = await _h.RecordAsync(sid);

        var result = await Compaction(sid).CompactSession(new CompactSessionRequest { SessionId = sid, Model = ScriptedModel(model, 100_000) });

        Assert.Equal(CompactionOutcome.Ok, result.Status);
        Assert.Equal("SUMMARY: earlier turns", result.SummaryText);
        Assert.Equal("u2", result.TailStartId);
        Assert.False(result.AutoContinued);
        Assert.True(result.TokensBefore > 0);
        var done = await events.WaitForAsync(e => e.Type == AgentEventTypes.CompactionDone);
        Assert.Equal("sync", done.Mode);
        Assert.Equal(result.SummaryText, done.SummaryText);
        Assert.Equal(result.TokensBefore, done.TokensBefore);
        Assert.Equal(result.CompactionEntryId, done.CompactionEntryId);
        Assert.Equal("u2", done.TailStartId);
        var window = await _h.Grains.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal("SUMMARY: earlier turns", window.Summary);
        Assert.Equal(["u2", "a2", "u3", "a3"], window.EntryIds);
        // The summariser got the anchored-summary prompt and the head only.
        var asked = Scripted.LastRequests[model + "#summary"];
        Assert.StartsWith("Create a new anchored summary", asked.SystemPrompt);
        Assert.Contains("## Next Steps", asked.SystemPrompt);
        Assert.Contains("q1 ", asked.Messages[0].Text);
        Assert.DoesNotContain("q2 ", asked.Messages[0].Text);
    }

    [Fact]
    public async Task A_second_compaction_updates_the_previous_summary_and_the_next_turn_sees_the_compacted_window()
    {
        var model = Model("cs-next");
        var sid = Runs.NewSession();
        await FillAsync(sid, turns: 3, chars: 20, model);
        Assert.Equal(CompactionOutcome.Ok, (await Compaction(sid).CompactSession(new CompactSessionRequest { SessionId = sid, Model = ScriptedModel(model, 100_000) })).Status);

        await _h.Turn(sid).Start(Runs.Start(sid, model, text: "next question"));
        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);

        var sent = Scripted.LastRequests[model];
        Assert.DoesNotContain(sent.Messages, m => m.Text.StartsWith("q0 ", StringComparison.Ordinal));
        Assert.Contains(sent.Messages, m => m.Text.Contains("SUMMARY: earlier turns", StringComparison.Ordinal));
        Assert.Equal("next question", sent.Messages[^1].Text);

        var second = await Compaction(sid).CompactSession(new CompactSessionRequest { SessionId = sid, Model = ScriptedModel(model, 100_000) });
        Assert.Equal(CompactionOutcome.Ok, second.Status);
        Assert.StartsWith("Update the anchored summary", Scripted.LastRequests[model + "#summary"].SystemPrompt);
        Assert.Contains("<previous-summary>\nSUMMARY: earlier turns", Scripted.LastRequests[model + "#summary"].SystemPrompt);
    }

    [Fact]
    public async Task Compact_session_of_a_short_or_new_session_is_empty()
    {
        var sid = Runs.NewSession();
        Assert.Equal(CompactionOutcome.Empty, (await Compaction(sid).CompactSession(new CompactSessionRequest { SessionId = sid })).Status);
        await FillAsync(sid, turns: 2, chars: 10);

        var result = await Compaction(sid).CompactSession(new CompactSessionRequest { SessionId = sid, Model = ScriptedModel(Model("cs-short"), 100_000) });

        Assert.Equal(CompactionOutcome.Empty, result.Status);
        Assert.Null((await _h.Grains.GetGrain<ISessionGrain>(sid).Messages()).Summary);
    }

    [Fact]
    public async Task A_summariser_that_fails_answers_overflow_with_its_reason()
    {
        var sid = Runs.NewSession();
        await FillAsync(sid, turns: 4, chars: 10);

        var result = await Compaction(sid).CompactSession(new CompactSessionRequest { SessionId = sid, Model = ScriptedModel("no-such-script", 100_000) });

        Assert.Equal(CompactionOutcome.Overflow, result.Status);
        Assert.Contains("no script for model 'no-such-script'", result.Message);
    }

    [Fact]
    public async Task Compaction_while_a_turn_runs_is_busy()
    {
        var model = _h.Workspace.WriteScript("cs-hang", Rounds(Hang));
        var sid = Runs.NewSession();
        await FillAsync(sid, turns: 4, chars: 10);
        await _h.Turn(sid).Start(Runs.Start(sid, model));
        await _h.WaitForStateAsync(sid, v => v.State == TurnStates.AssistantStreaming);

        var session = await Compaction(sid).CompactSession(new CompactSessionRequest { SessionId = sid, Model = ScriptedModel(model, 100_000) });
        var now = await Compaction(sid).CompactNow(new CompactNowRequest { SessionId = sid, Model = ScriptedModel(model, 100_000) });

        Assert.Equal(CompactionOutcome.Busy, session.Status);
        Assert.Equal(CompactionOutcome.Busy, now.Status);
        await _h.Turn(sid).Abort();
    }

    [Fact]
    public async Task Compact_now_replays_the_last_user_message_after_the_compaction_and_appends_the_continue_prompt()
    {
        var model = Model("cn-replay");
        var sid = Runs.NewSession();
        await FillAsync(sid, turns: 4, chars: 20, model);
        var session = _h.Grains.GetGrain<ISessionGrain>(sid);

        var result = await Compaction(sid).CompactNow(new CompactNowRequest
        {
            SessionId = sid, ProjectedTokens = 5000, LastUserMessageId = "u3", Model = ScriptedModel(model, 100_000),
        });

        Assert.Equal(CompactionOutcome.Ok, result.Status);
        Assert.True(result.AutoContinued);
        Assert.Equal("u1", result.TailStartId);  // two turns kept before the replay
        // The window the original rewrites its flat state to: summary, tail, the replayed user message; then the
        // continue prompt, chained behind the re-appended replay (compaction → replay → continue).
        var cmp = result.CompactionEntryId;
        var window = await session.Messages();
        Assert.Equal(["u1", "a1", "u2", "a2", $"{cmp}-replay", $"{cmp}-continue"], window.EntryIds);
        Assert.StartsWith("q3 ", window.Messages[^2].Text);
        Assert.Equal("Continue if you have next steps, or stop and ask for clarification.", window.Messages[^1].Text);
        var tree = (await session.Entries()).Entries.ToDictionary(e => e.Id);
        Assert.Equal("a2", tree[cmp!].ParentId);
        Assert.Equal(cmp, tree[$"{cmp}-replay"].ParentId);
        Assert.Equal($"{cmp}-replay", tree[$"{cmp}-continue"].ParentId);
        Assert.DoesNotContain("q3 ", Scripted.LastRequests[model + "#summary"].Messages[0].Text);
    }

    [Fact]
    public async Task Compact_now_whose_replay_leaves_nothing_else_to_keep_summarises_all_before_it()
    {
        var model = Model("cn-replay-all");
        var sid = Runs.NewSession();
        // Turns of ~4500 tokens against the smallest tail budget (2000 tokens, an 8000-token context): no turn before the
        // replayed u2 fits, so u0..a1 are all summarised and the compaction keeps no tail.
        await FillAsync(sid, turns: 3, chars: 9000, model);

        var result = await Compaction(sid).CompactNow(new CompactNowRequest
        {
            SessionId = sid, LastUserMessageId = "u2", Model = ScriptedModel(model, 8000),
        });

        Assert.Equal(CompactionOutcome.Ok, result.Status);
        Assert.True(result.AutoContinued);
        Assert.Null(result.TailStartId);
        var window = await _h.Grains.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal([$"{result.CompactionEntryId}-replay", $"{result.CompactionEntryId}-continue"], window.EntryIds);
    }

    [Fact]
    public async Task Compact_now_and_compact_session_prune_old_tool_outputs_before_summarising()
    {
        var model = Model("cn-prune");
        var sid = Runs.NewSession();
        var session = _h.Grains.GetGrain<ISessionGrain>(sid);
        var output = new string('o', 900 * 4);
        await session.AppendBatch(new SessionAppendRequest
        {
            SessionId = sid,
            Messages = [AgentMessage.User("q0 read it", 0), new AgentMessage { Role = Roles.FunctionResult, FunctionCallId = "c1", FunctionId = "fs::read", Content = [ContentBlock.OfText(output)], Timestamp = 0 }],
            EntryIds = ["u-first", "r-first"],
        });
        await FillAsync(sid, turns: 3, chars: 20, model);

        var result = await Compaction(sid).CompactSession(new CompactSessionRequest { SessionId = sid, Model = ScriptedModel(model, 100_000) });

        Assert.Equal(CompactionOutcome.Ok, result.Status);
        var pruned = (await session.PathMessages(null)).Single(m => m.EntryId == "r-first").Message;
        Assert.Equal("[output pruned]", pruned.Text);
        // The summary was written from the window loaded before the prune (the output clipped, not pruned).
        Assert.Contains("oooo", Scripted.LastRequests[model + "#summary"].Messages[0].Text);
    }

    [Fact]
    public async Task Without_a_limit_the_model_comes_from_the_catalog_or_the_last_assistant()
    {
        var model = Model("cs-catalog", extra: ""","context_window":9000""");
        await _h.Grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key).Refresh();
        var resolver = _h.Cluster.Silos[0].ServiceProvider.GetRequiredService<CompactionModelResolver>();
        var sid = Runs.NewSession();
        await FillAsync(sid, turns: 1, chars: 5, model);
        var window = await _h.Grains.GetGrain<ISessionGrain>(sid).Messages();

        var explicitModel = await resolver.ResolveAsync(sid, ScriptedModel(model), window);
        var fromAssistant = await resolver.ResolveAsync(sid, null, window);
        var fromLimit = await resolver.ResolveAsync(sid, ScriptedModel(model, 5000), window);
        var fallback = await resolver.ResolveAsync(Runs.NewSession(), null, new SessionWindow { SessionId = "x" });

        Assert.Equal(9000, explicitModel.Limit.Context);
        Assert.Equal((model, 9000L), (fromAssistant.Id, fromAssistant.Limit.Context!.Value));
        Assert.Equal((5000L, 5000L, 0L), (fromLimit.Limit.Context!.Value, fromLimit.Limit.Input!.Value, fromLimit.Limit.Output!.Value));
        Assert.Equal(("unknown", 32000L), (fallback.Id, fallback.Limit.Context!.Value));
    }

    [Fact]
    public async Task A_missing_session_id_is_rejected_naming_the_field()
    {
        var error = await Assert.ThrowsAsync<PayloadValidationException>(() => Compaction("s").CompactSession(new CompactSessionRequest()));
        Assert.Equal("session_id", error.Field);
    }
}
