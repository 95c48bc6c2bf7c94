using System.Text.Json.Nodes;
using Harness.Bridge.Functions;
using Harness.Models;
using Harness.Tests.Bridge.StandIn;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>
/// A run for a model its provider does not list is refused naming the field, and nothing is stored; a provider with
/// nothing in the models catalog (it cannot list, or was never discovered) accepts any model.
/// </summary>
public sealed class UnknownModelTests(HarnessFunctionsFixture fixture) : IClassFixture<HarnessFunctionsFixture>
{
    private static JsonNode Start(string sid, string provider, string model) => JsonNode.Parse(
        $$"""{"session_id":"{{sid}}","provider":"{{provider}}","model":"{{model}}","messages":[{"role":"user","content":[{"type":"text","text":"hi"}],"timestamp":1}]}""")!;

    private Task<IReadOnlyList<string>> DiscoverScriptedAsync() =>
        fixture.H.Grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key).RefreshProvider("scripted");

    [Fact]
    public async Task Run_start_with_a_model_the_provider_does_not_list_is_invalid_payload_and_stores_nothing()
    {
        Assert.Contains("demo", await DiscoverScriptedAsync());
        var sid = Harness.Tests.Infrastructure.Runs.NewSession();
        var engine = fixture.H.Engine;

        var error = await Assert.ThrowsAsync<StandInInvocationException>(() => engine.InvokeAsync("run::start", Start(sid, "scripted", "no-such-model"), TimeSpan.FromSeconds(15)));

        Assert.Equal("invalid_payload", error.Code);
        Assert.StartsWith("model: 'no-such-model' is not a model of provider 'scripted' (it lists: ", error.Detail, StringComparison.Ordinal);
        Assert.Contains("demo", error.Detail, StringComparison.Ordinal);
        Assert.Null(await engine.InvokeAsync("turn::get_state", new JsonObject { ["session_id"] = sid }, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Harness_trigger_names_the_model_field_inside_its_payload()
    {
        await DiscoverScriptedAsync();
        var sid = Harness.Tests.Infrastructure.Runs.NewSession();
        var request = new JsonObject { ["session_id"] = sid, ["message_id"] = "m1", ["payload"] = Start(sid, "scripted", "no-such-model") };

        var error = await Assert.ThrowsAsync<StandInInvocationException>(() => fixture.H.Engine.InvokeAsync("harness::trigger", request, TimeSpan.FromSeconds(15)));

        Assert.Equal("invalid_payload", error.Code);
        Assert.StartsWith("payload.model: 'no-such-model' is not a model", error.Detail, StringComparison.Ordinal);
        Assert.Null(await fixture.H.Engine.InvokeAsync("turn::get_state", new JsonObject { ["session_id"] = sid }, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Harness_send_with_an_unknown_model_or_provider_is_invalid_payload_and_stores_nothing()
    {
        await DiscoverScriptedAsync();
        var sid = Harness.Tests.Infrastructure.Runs.NewSession();
        var engine = fixture.H.Engine;
        JsonObject Send(string provider, string model) => new()
        {
            ["session_id"] = sid, ["message"] = "hi", ["provider"] = provider, ["model"] = model, ["idempotency_key"] = "msg-1",
        };

        var model = await Assert.ThrowsAsync<StandInInvocationException>(() => engine.InvokeAsync("harness::send", Send("scripted", "no-such-model"), TimeSpan.FromSeconds(15)));
        Assert.Equal("invalid_payload", model.Code);
        Assert.StartsWith("model: 'no-such-model' is not a model of provider 'scripted'", model.Detail, StringComparison.Ordinal);
        var provider = await Assert.ThrowsAsync<StandInInvocationException>(() => engine.InvokeAsync("harness::send", Send("no-such-provider", "demo"), TimeSpan.FromSeconds(15)));
        Assert.Equal("invalid_payload", provider.Code);
        Assert.StartsWith("provider: 'no-such-provider' is not registered", provider.Detail, StringComparison.Ordinal);

        Assert.Null(await engine.InvokeAsync("harness::status", new JsonObject { ["session_id"] = sid }, TimeSpan.FromSeconds(15)));
        Assert.Null(await engine.InvokeAsync("turn::get_state", new JsonObject { ["session_id"] = sid }, TimeSpan.FromSeconds(15)));
        Assert.Empty((await fixture.H.Grains.GetGrain<Harness.Sessions.ISessionGrain>(sid).Messages()).Messages);

        // Nothing was kept under the idempotency key either: the corrected retry runs.
        var good = $"send-{Guid.NewGuid():N}"[..16];
        fixture.H.Workspace.WriteScript(good, Rounds($"{Text("hello")},{Stop("end")}"));
        var sent = await engine.InvokeAsync("harness::send", Send("scripted", good), TimeSpan.FromSeconds(15));
        Assert.True(sent!["accepted"]!.GetValue<bool>());
        Assert.Null(sent["deduplicated"]);
        Assert.Equal("stopped", (await fixture.H.WaitForTerminalAsync(sid)).State);
    }

    [Fact]
    public async Task A_model_the_provider_lists_since_the_catalog_was_read_is_accepted()
    {
        await DiscoverScriptedAsync();
        var model = $"late-{Guid.NewGuid():N}"[..16];
        fixture.H.Workspace.WriteScript(model, Rounds($"{Text("late but listed")},{Stop("end")}"));
        var sid = Harness.Tests.Infrastructure.Runs.NewSession();

        var started = await fixture.H.Engine.InvokeAsync("run::start", Start(sid, "scripted", model), TimeSpan.FromSeconds(15));

        Assert.True(started!["started"]!.GetValue<bool>());
        Assert.Equal("stopped", (await fixture.H.WaitForTerminalAsync(sid)).State);
    }

    [Fact]
    public async Task A_provider_with_nothing_in_the_catalog_accepts_any_model()
    {
        var listed = await fixture.H.Grains.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key).List("lmstudio");
        Assert.Empty(listed.Models);   // never discovered here
        var sid = Harness.Tests.Infrastructure.Runs.NewSession();

        var started = await fixture.H.Engine.InvokeAsync("run::start", Start(sid, "lmstudio", "any-model-at-all"), TimeSpan.FromSeconds(15));

        Assert.True(started!["started"]!.GetValue<bool>());
        await fixture.H.Engine.InvokeAsync("run::abort", new JsonObject { ["session_id"] = sid }, TimeSpan.FromSeconds(15));
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", true)]          // alias of a dated id
    [InlineData("claude-3-5-haiku-latest", true)]    // -latest alias
    [InlineData("claude-sonnet-4-5-20250929", true)]
    [InlineData("claude-sonnet-4", true)]             // prefix up to a dash: still a family alias
    [InlineData("claude-sonnet-4-", false)]
    [InlineData("claude-opus-9", false)]
    public void Listed_dated_ids_serve_their_aliases(string model, bool served) =>
        Assert.Equal(served, KnownModelCheck.Serves(["claude-sonnet-4-5-20250929", "claude-3-5-haiku-20241022"], model));
}
