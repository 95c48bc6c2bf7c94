using System.Text.Json.Nodes;
using Harness.Providers;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Microsoft.Extensions.DependencyInjection;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Bridge;

/// <summary>
/// A provider worker joins at runtime over the bus (console-and-data §3.4): it registers, resolves its key, fills the
/// catalog and serves turns, with no silo configuration naming it; agents cannot reach these functions.
/// </summary>
public sealed class ProviderBusRegistrationTests(BusWorkersFixture fixture) : IClassFixture<BusWorkersFixture>
{
    private BridgeCluster H => fixture.H;

    private static JsonObject Step(NodeResult run, string name) =>
        run.Lines.Single(l => l["event"]!.GetValue<string>() == name)["outcome"]!.AsObject() is var o && o["ok"]!.GetValue<bool>()
            ? o["result"]!.AsObject()
            : throw new Xunit.Sdk.XunitException($"{name} failed: {o.ToJsonString()}");

    [Fact]
    public async Task A_node_provider_that_registers_itself_serves_a_turn_and_fills_the_catalog_on_every_silo()
    {
        NodePeer.RequireAvailable();
        const string provider = "nodereg";
        Environment.SetEnvironmentVariable("HARNESS_TEST_NODE_PROVIDER_KEY", "sk-node-test-key");
        var sid = Runs.NewSession();

        var run = await NodePeer.RunAsync("provider-register.mjs", [H.Engine.Url.ToString(), provider, sid, "node-reg-1"]);

        run.AssertSucceeded();
        Assert.True(Step(run, "register")["ok"]!.GetValue<bool>());
        var resolved = Step(run, "resolve");
        Assert.Equal(("environment", "api_key", "sk-node-test-key"), (resolved["source"]!.GetValue<string>(),
            resolved["credential"]!["type"]!.GetValue<string>(), resolved["credential"]!["key"]!.GetValue<string>()));
        Assert.Equal("http://127.0.0.1:9/v1", resolved["api_url"]!.GetValue<string>());
        Assert.Null(resolved["max_tokens"]);
        Assert.Equal(["node-reg-1"], Step(run, "refresh")["registered"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal(200, Step(run, "trigger")["status_code"]!.GetValue<int>());
        Assert.Equal(TurnStates.Stopped, run.Lines.Single(l => l["event"]!.GetValue<string>() == "done")["state"]!["state"]!.GetValue<string>());
        Assert.Equal("node-reg-1", Assert.Single(run.Lines, l => l["event"]!.GetValue<string>() == "request")["model"]!.GetValue<string>());

        var listed = Step(run, "providers")["providers"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == provider)!;
        Assert.Equal(("Node Provider", true), (listed["display_name"]!.GetValue<string>(), listed["supports_model_listing"]!.GetValue<bool>()));
        var model = Assert.Single(Step(run, "models")["models"]!.AsArray())!;
        Assert.Equal(("node-reg-1", provider, 32000L), (model["id"]!.GetValue<string>(), model["provider"]!.GetValue<string>(), model["context_window"]!.GetValue<long>()));

        var transcript = await H.Engine.InvokeAsync("session-tree::messages", new JsonObject { ["session_id"] = sid });
        var answer = transcript!["messages"]!.AsArray().Last()!["message"]!;
        Assert.Equal(("registered and streaming", provider), (answer["content"]![0]!["text"]!.GetValue<string>(), answer["provider"]!.GetValue<string>()));
        foreach (var silo in H.Cluster.Silos)
        {
            var admin = H.Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<ProviderAdmin>();
            Assert.Contains((await admin.ListAsync(TestContext.Current.CancellationToken)).Providers, p => p.Id == provider);
        }
    }

    [Theory]
    [InlineData("harness::provider::register", """{"id":"a::b"}""", "id")]
    [InlineData("harness::provider::register", """{"display_name":"x"}""", "id")]
    [InlineData("harness::provider::register", """{"id":"ok","defaults":"x"}""", "defaults")]
    [InlineData("harness::provider::register", """{"id":"ok","credential_env_var":"NOT VALID"}""", "credential_env_var")]
    [InlineData("harness::provider::resolve", """{}""", "provider")]
    [InlineData("harness::provider::resolve", """{"provider":"nobody-registered"}""", "provider")]
    [InlineData("models::reconcile", """{"provider":"p"}""", "models")]
    [InlineData("models::reconcile", """{"models":[]}""", "provider")]
    [InlineData("models::reconcile", """{"provider":"p","models":[{"id":"m","provider":"other"}]}""", "models[0].provider")]
    [InlineData("models::reconcile", """{"provider":"p","models":[{"provider":"p"},{"id":"m","context_window":"big"}]}""", "models[1].context_window")]
    [InlineData("models::register", """{"id":"m"}""", "provider")]
    [InlineData("models::register", """{"provider":"p","id":""}""", "id")]
    public async Task Bad_registration_payloads_are_invalid_payload_naming_the_field(string function, string payload, string field)
    {
        var error = await Assert.ThrowsAsync<StandInInvocationException>(() => H.Engine.InvokeAsync(function, JsonNode.Parse(payload)));
        Assert.Equal("invalid_payload", error.Code);
        Assert.StartsWith($"{field}: ", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_register_adds_one_entry_and_reconcile_replaces_the_providers_entries()
    {
        var registered = await H.Engine.InvokeAsync("models::register", JsonNode.Parse("""{"id":"one","provider":"Catalogued","context_window":1000}"""));
        Assert.Equal("models:catalogued:one", registered!["key"]!.GetValue<string>());
        Assert.True(registered["registered"]!.GetValue<bool>());

        var reconciled = await H.Engine.InvokeAsync("models::reconcile", JsonNode.Parse("""{"provider":"catalogued","models":[{"id":"two"},{"id":"three","provider":"catalogued"},{"name":"no id"}]}"""));
        Assert.Equal(2, reconciled!["count"]!.GetValue<int>());
        Assert.Equal(["two", "three"], reconciled["ids"]!.AsArray().Select(i => i!.GetValue<string>()));
        var listed = await H.Engine.InvokeAsync("models::list", JsonNode.Parse("""{"provider":"catalogued"}"""));
        Assert.Equal(["three", "two"], listed!["models"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("harness::provider::resolve", """{"provider":"scripted"}""")]
    [InlineData("harness::provider::register", """{"id":"agent-made"}""")]
    [InlineData("hook-fanout::publish_collect", """{"topic":"t","merge_rule":"collect"}""")]
    public async Task An_agent_is_refused_the_control_plane_functions_even_when_everything_is_allowed(string function, string payload)
    {
        var model = H.Workspace.WriteScript($"kernel-{function.Replace(':', '-')}", Rounds(Call("c1", function, payload), Text("done")));
        var sid = Runs.NewSession();
        await H.Turn(sid).Start(Runs.Start(sid, model));
        Assert.Equal(TurnStates.Stopped, (await H.WaitForTerminalAsync(sid)).State);

        var transcript = await H.Engine.InvokeAsync("session-tree::messages", new JsonObject { ["session_id"] = sid });
        var result = transcript!["messages"]!.AsArray().Select(e => e!["message"]).Single(m => m!["role"]!.GetValue<string>() == "function_result")!;
        Assert.Equal(("permissions", function), (result["details"]!["denied_by"]!.GetValue<string>(), result["details"]!["rule_id"]!.GetValue<string>()));
        var registrations = await H.Grains.GetGrain<Harness.Models.IProviderRegistrationsGrain>(Harness.Models.IProviderRegistrationsGrain.Key).List();
        Assert.DoesNotContain(registrations, r => r.Id == "agent-made");
    }
    [Fact]
    public async Task Each_registration_re_registers_the_harness_configuration_entry_with_every_providers_schema_and_keeps_its_value()
    {
        var ownSchema = JsonNode.Parse("""{"type":"object","title":"Cfg A","properties":{"api_key":{"type":"string"},"region":{"type":"string","enum":["eu","us"]}}}""")!;
        await H.Engine.InvokeAsync("harness::provider::register", new JsonObject { ["id"] = "cfgprov-a", ["config_schema"] = ownSchema.DeepClone() });

        var first = H.Engine.ConfigurationEntry("harness") ?? throw new Xunit.Sdk.XunitException("no configuration::register of 'harness'");
        var providers = first.Registration["schema"]!["properties"]!["providers"]!["properties"]!.AsObject();
        Assert.True(JsonNode.DeepEquals(ownSchema, providers["cfgprov-a"]));
        // A built-in provider gets the default slice: a write-only key, the url and max_tokens.
        Assert.Equal(("password", true, 1_048_576), (providers["anthropic"]!["properties"]!["api_key"]!["format"]!.GetValue<string>(),
            providers["anthropic"]!["properties"]!["api_key"]!["writeOnly"]!.GetValue<bool>(), providers["anthropic"]!["properties"]!["max_tokens"]!["maximum"]!.GetValue<int>()));
        Assert.Equal(["manual", "auto", "full"], first.Registration["schema"]!["properties"]!["permissions"]!["properties"]!["default_mode"]!["enum"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal("manual", first.Value!["permissions"]!["default_mode"]!.GetValue<string>());

        // An operator edits the value; the next declaration recomposes the schema and leaves the value alone.
        var edited = JsonNode.Parse("""{"permissions":{"default_mode":"auto"},"providers":{"cfgprov-a":{"region":"eu"}}}""")!;
        await H.Engine.InvokeAsync("configuration::set", new JsonObject { ["id"] = "harness", ["value"] = edited.DeepClone() });
        await H.Engine.InvokeAsync("harness::provider::register", new JsonObject
        {
            ["id"] = "cfgprov-b", ["display_name"] = "Cfg B", ["defaults"] = new JsonObject { ["api_url"] = "http://127.0.0.1:9/v1", ["max_tokens"] = 4096 },
        });

        var second = H.Engine.ConfigurationEntry("harness")!.Value;
        var composed = second.Registration["schema"]!["properties"]!["providers"]!["properties"]!.AsObject();
        Assert.True(JsonNode.DeepEquals(ownSchema, composed["cfgprov-a"]));
        Assert.Equal(("Cfg B", "http://127.0.0.1:9/v1", 4096), (composed["cfgprov-b"]!["title"]!.GetValue<string>(),
            composed["cfgprov-b"]!["properties"]!["api_url"]!["default"]!.GetValue<string>(), composed["cfgprov-b"]!["properties"]!["max_tokens"]!["default"]!.GetValue<int>()));
        Assert.Null(second.Registration["initial_value"]);
        Assert.True(JsonNode.DeepEquals(edited, second.Value));
    }
}
