using Harness.Budgets;
using Harness.Compaction;
using Harness.Events;
using Harness.Messages;
using Harness.Models;
using Harness.Providers;
using Harness.Providers.Scripted;
using Harness.Sessions;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Microsoft.Extensions.DependencyInjection;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Turns;

/// <summary>Compaction and budgets inside real turns (scripted provider, PostgreSQL storage).</summary>
public sealed class ModelLimitsTests : IAsyncLifetime
{
    private HarnessCluster _h = null!;

    public async ValueTask InitializeAsync() => _h = await HarnessCluster.StartAsync();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private ScriptedProvider Scripted =>
        _h.Cluster.Silos[0].ServiceProvider.GetServices<IModelProvider>().OfType<ScriptedProvider>().Single();

    private async Task<string> SmallModelAsync(string name, long window)
    {
        var model = _h.Workspace.WriteScript(name, $$"""{"context_window":{{window}},"summary":"SUMMARY: they talked","rounds":[{"events":[{{Text("fresh answer")}}]}]}""");
        await _h.Grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key).Refresh();
        return model;
    }

    private async Task FillAsync(string sid, int pairs, int chars)
    {
        var filler = new string('x', chars);
        var messages = Enumerable.Range(0, pairs).SelectMany(i => new[]
        {
            AgentMessage.User($"q{i} {filler}", i),
            AgentMessage.EmptyAssistant("scripted", "m", i) with { Content = [ContentBlock.OfText($"a{i} {filler}")] },
        }).ToList();
        await _h.Grains.GetGrain<ISessionGrain>(sid).AppendBatch(new SessionAppendRequest
        {
            SessionId = sid, Messages = messages, EntryIds = [.. messages.Select((_, i) => $"old-{i}")],
        });
    }

    [Fact]
    public async Task Turn_over_the_threshold_compacts_first_and_the_model_gets_summary_plus_tail()
    {
        var model = await SmallModelAsync("small", 1000);
        var sid = Runs.NewSession();
        await FillAsync(sid, pairs: 6, chars: 300);
        await using var events = await _h.RecordAsync(sid);

        await _h.Turn(sid).Start(Runs.Start(sid, model, text: "new question"));

        Assert.Equal(TurnStates.Stopped, (await _h.WaitForTerminalAsync(sid)).State);
        var done = await events.WaitForAsync(e => e.Type == AgentEventTypes.CompactionDone);
        Assert.Equal("SUMMARY: they talked", done.SummaryText);
        Assert.True(done.TokensBefore > 800);
        var sent = Scripted.LastRequests[model];
        Assert.StartsWith("Summary of the earlier conversation:\nSUMMARY: they talked", sent.Messages[0].Text);
        Assert.Equal("new question", sent.Messages[^1].Text);
        Assert.True(sent.Messages.Count <= 5);
        var window = await _h.Grains.GetGrain<ISessionGrain>(sid).Messages();
        Assert.Equal("SUMMARY: they talked", window.Summary);
        Assert.Equal("fresh answer", window.Messages[^1].Text);
    }

    [Fact]
    public async Task Overflow_that_cannot_be_compacted_fails_the_turn_with_context_overflow()
    {
        var model = await SmallModelAsync("tiny", 20);
        var sid = Runs.NewSession();

        await _h.Turn(sid).Start(Runs.Start(sid, model, text: new string('y', 500)));

        var final = await _h.WaitForTerminalAsync(sid);
        Assert.Equal(TurnStates.Failed, final.State);
        Assert.Equal("context_overflow", final.Error!.Kind);
    }

    [Fact]
    public async Task Turn_over_its_workspace_budget_stops_cleanly_with_the_reason()
    {
        var model = _h.Workspace.WriteScript("paid", Rounds($"{Text("expensive")},{Usage(500, 500)}"));
        await _h.Grains.GetGrain<IBudgetGrain>("workspace:w1").Configure(new BudgetConfig { Period = "day", CeilingTokens = 1500 });
        var first = Runs.NewSession();
        await _h.Turn(first).Start(Runs.Start(first, model) with { WorkspaceId = "w1" });
        Assert.Null((await _h.WaitForTerminalAsync(first)).Error);
        var second = Runs.NewSession();
        await _h.Turn(second).Start(Runs.Start(second, model) with { WorkspaceId = "w1" });
        Assert.Null((await _h.WaitForTerminalAsync(second)).Error);
        var third = Runs.NewSession();

        await _h.Turn(third).Start(Runs.Start(third, model) with { WorkspaceId = "w1" });

        var final = await _h.WaitForTerminalAsync(third);
        Assert.Equal(TurnStates.Stopped, final.State);
        Assert.Equal("budget_exceeded", final.Error!.Kind);
        Assert.Contains("workspace:w1", final.Error.Message);
        var view = await _h.Grains.GetGrain<IBudgetGrain>("workspace:w1").Get();
        Assert.Equal(2000, view!.SpentTokens);
        var transcript = await _h.Grains.GetGrain<ISessionGrain>(third).Messages();
        Assert.Equal([Roles.User], transcript.Messages.Select(m => m.Role));
    }
}

/// <summary>USD budgets from configured prices when the provider reports no cost.</summary>
public sealed class PricedBudgetTests
{
    [Fact]
    public async Task Configured_prices_turn_token_usage_into_spend_and_a_usd_ceiling_stops_the_run()
    {
        await using var h = await HarnessCluster.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Harness:Pricing:priced:OutputPerMillion"] = "1000",
        });
        var model = h.Workspace.WriteScript("priced", Rounds($"{Text("answer")},{Usage(0, 500)}"));
        await h.Grains.GetGrain<IBudgetGrain>("agent:bot").Configure(new BudgetConfig { Period = "day", CeilingUsd = 0.8 });

        string[] sessions = [Runs.NewSession(), Runs.NewSession(), Runs.NewSession()];
        foreach (var sid in sessions)
        {
            await h.Turn(sid).Start(Runs.Start(sid, model) with { AgentId = "bot" });
            await h.WaitForTerminalAsync(sid);
        }

        var view = await h.Grains.GetGrain<IBudgetGrain>("agent:bot").Get();
        Assert.Equal(1.0, view!.SpentUsd, 6);
        Assert.Null((await h.Turn(sessions[1]).GetState())!.Error);
        var refused = await h.Turn(sessions[2]).GetState();
        Assert.Equal("budget_exceeded", refused!.Error!.Kind);
        Assert.Contains("agent:bot", refused.Error.Message);
    }
}
