using System.Text.Json.Nodes;
using Harness.Providers;
using Harness.Tests.Bridge;
using Harness.Tests.Bridge.StandIn;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Models;

/// <summary>One bridge silo with scripted models for <see cref="ModelsFunctionsTests"/>.</summary>
public sealed class ModelsFunctionsFixture : IAsyncLifetime
{
    public BridgeCluster H { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // A configured price for mf-alpha: the catalog shows it (the entry has none of its own).
        H = await BridgeCluster.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Harness:Pricing:mf-alpha:InputPerMillion"] = "3",
            ["Harness:Pricing:mf-alpha:OutputPerMillion"] = "15",
            ["Harness:Pricing:mf-alpha:CacheReadPerMillion"] = "0.3",
        });
        H.Workspace.WriteScript("mf-alpha", $$"""{"context_window":64000,{{Rounds(Text("a"))[1..]}}""");
        H.Workspace.WriteScript("mf-beta", Rounds(Text("b")));
    }

    public async ValueTask DisposeAsync() => await H.DisposeAsync();
}

/// <summary><c>models::list|get|supports</c> and <c>provider::&lt;id&gt;::refresh_models</c> called through the engine.</summary>
public sealed class ModelsFunctionsTests(ModelsFunctionsFixture fixture) : IClassFixture<ModelsFunctionsFixture>
{
    private BridgeCluster H => fixture.H;

    private Task<JsonNode?> Invoke(string functionId, string payload) => H.Engine.InvokeAsync(functionId, JsonNode.Parse(payload), TimeSpan.FromSeconds(30));

    private async Task RefreshScriptedAsync() => await Invoke("provider::scripted::refresh_models", "{}");

    [Fact]
    public void Every_in_process_provider_publishes_refresh_models()
    {
        foreach (var provider in ProviderNames.All.Append("scripted"))
        {
            Assert.NotNull(H.Engine.FunctionOwner($"provider::{provider}::refresh_models"));
        }
    }

    [Fact]
    public async Task Refresh_models_registers_the_providers_models_and_answers_their_ids()
    {
        var reply = await Invoke("provider::scripted::refresh_models", "{}");

        var registered = reply!["registered"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains("mf-alpha", registered);
        Assert.Contains("mf-beta", registered);
        var list = await Invoke("models::list", """{"provider":"scripted"}""");
        Assert.Equal(registered.Order(), list!["models"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task A_provider_whose_listing_fails_answers_an_empty_list_and_keeps_the_catalog()
    {
        await RefreshScriptedAsync();

        var reply = await Invoke("provider::anthropic::refresh_models", "{}");

        Assert.Empty(reply!["registered"]!.AsArray());
        Assert.NotEmpty((await Invoke("models::list", """{"provider":"scripted"}"""))!["models"]!.AsArray());
    }

    [Fact]
    public async Task Get_answers_a_bare_model_or_null()
    {
        await RefreshScriptedAsync();

        var model = await Invoke("models::get", """{"provider":"scripted","model_id":"mf-alpha"}""");
        var missing = await Invoke("models::get", """{"provider":"scripted","model_id":"nope"}""");
        var otherProvider = await Invoke("models::get", """{"provider":"openai","model_id":"mf-alpha"}""");

        Assert.Equal("mf-alpha", model!["id"]!.GetValue<string>());
        Assert.Equal("scripted", model["provider"]!.GetValue<string>());
        Assert.Equal(64000, model["context_window"]!.GetValue<long>());
        Assert.Null(missing);
        Assert.Null(otherProvider);
    }

    [Fact]
    public async Task The_harness_configuration_entry_is_registered_at_start_with_the_silos_own_providers()
    {
        // Nothing in this class registers a provider over the bus: the entry comes from the bridge's start.
        await EngineStandIn.WaitUntilAsync(() => H.Engine.ConfigurationEntry("harness") is not null, TimeSpan.FromSeconds(20), "the harness configuration entry");

        var entry = H.Engine.ConfigurationEntry("harness")!.Value;
        var providers = entry.Registration["schema"]!["properties"]!["providers"]!["properties"]!.AsObject();
        Assert.Contains("scripted", providers.Select(p => p.Key));
        Assert.Contains(ProviderNames.Anthropic, providers.Select(p => p.Key));
        Assert.Equal("manual", entry.Value!["permissions"]!["default_mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Entries_carry_their_api_and_transports_and_the_configured_price()
    {
        await RefreshScriptedAsync();

        var priced = await Invoke("models::get", """{"provider":"scripted","model_id":"mf-alpha"}""");
        var unpriced = await Invoke("models::get", """{"provider":"scripted","model_id":"mf-beta"}""");

        Assert.Equal("scripted", priced!["api"]!.GetValue<string>());
        Assert.Equal((3d, 15d, 0.3d), (priced["pricing"]!["input_per_1m"]!.GetValue<double>(), priced["pricing"]!["output_per_1m"]!.GetValue<double>(), priced["pricing"]!["cache_read_per_1m"]!.GetValue<double>()));
        Assert.Null(unpriced!["pricing"]);
    }

    [Fact]
    public async Task A_bus_providers_models_keep_every_model_field_it_wrote()
    {
        var model = """
            {"id":"bp-1","provider":"busprov","api":"openai-responses","display_name":"Bus One","context_window":128000,"max_output_tokens":16000,
             "supports_thinking":true,"supports_xhigh":false,"supports_tools":true,"supports_vision":true,"supports_cache":true,
             "thinking_budgets":{"minimal":512,"low":2048,"medium":8192,"high":32768},"transports":["sse","websocket"],
             "default_cache_retention":"short","pricing":{"input_per_1m":1.25,"output_per_1m":10,"cache_read_per_1m":0.125,"cache_write_per_1m":1.5}}
            """;
        await Invoke("models::reconcile", $$"""{"provider":"busprov","models":[{{model}}]}""");

        var listed = (await Invoke("models::list", """{"provider":"busprov"}"""))!["models"]!.AsArray().Single()!;
        var vision = await Invoke("models::supports", """{"provider":"busprov","model_id":"bp-1","capability":"vision"}""");
        var xhigh = await Invoke("models::supports", """{"provider":"busprov","model_id":"bp-1","capability":"thinking:xhigh"}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(model), listed), listed.ToJsonString());
        Assert.True(vision!["supported"]!.GetValue<bool>());
        Assert.False(xhigh!["supported"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"id":"x","transports":["pigeon"]}""", "models[0].transports[0]")]
    [InlineData("""{"id":"x","default_cache_retention":"forever"}""", "models[0].default_cache_retention")]
    [InlineData("""{"id":"x","pricing":{"input_per_1m":1}}""", "models[0].pricing.output_per_1m")]
    [InlineData("""{"id":"x","pricing":{"input_per_1m":-1,"output_per_1m":1}}""", "models[0].pricing.input_per_1m")]
    public async Task Reconcile_with_a_bad_model_field_names_it(string entry, string field)
    {
        var error = await Assert.ThrowsAsync<StandInInvocationException>(() => Invoke("models::reconcile", $$"""{"provider":"busbad","models":[{{entry}}]}"""));

        Assert.Equal("invalid_payload", error.Code);
        Assert.Contains(field, error.Detail);
    }

    [Fact]
    public void The_register_schema_lists_the_pricing_fields_and_enums_validation_requires()
    {
        var schema = H.Engine.FunctionRegistration("models::register")!["request_format"]!;
        var items = H.Engine.FunctionRegistration("models::reconcile")!["request_format"]!["properties"]!["models"]!["items"]!;

        Assert.Equal(["input_per_1m", "output_per_1m"], schema["properties"]!["pricing"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["sse", "websocket", "auto"], schema["properties"]!["transports"]!["items"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("long", schema["properties"]!["default_cache_retention"]!["enum"]!.AsArray().Select(n => n?.GetValue<string>()));
        Assert.NotNull(items["properties"]!["pricing"]);
    }

    [Fact]
    public async Task Supports_tests_the_capability_flags_and_an_unknown_model_is_false()
    {
        await RefreshScriptedAsync();

        var tools = await Invoke("models::supports", """{"provider":"scripted","model_id":"mf-alpha","capability":"tools"}""");
        var thinking = await Invoke("models::supports", """{"provider":"scripted","model_id":"mf-alpha","capability":"thinking:high"}""");
        var unknown = await Invoke("models::supports", """{"provider":"scripted","model_id":"nope","capability":"tools"}""");

        Assert.True(tools!["supported"]!.GetValue<bool>());
        Assert.False(thinking!["supported"]!.GetValue<bool>());
        Assert.False(unknown!["supported"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"provider":"scripted","model_id":"mf-alpha","capability":"telepathy"}""", "capability")]
    [InlineData("""{"provider":"scripted","model_id":"mf-alpha"}""", "capability")]
    [InlineData("""{"provider":"scripted","capability":"tools"}""", "model_id")]
    [InlineData("""{"model_id":"mf-alpha","capability":"tools"}""", "provider")]
    public async Task Supports_with_bad_input_names_the_field(string payload, string field)
    {
        var error = await Assert.ThrowsAsync<StandInInvocationException>(() => Invoke("models::supports", payload));

        Assert.Equal("invalid_payload", error.Code);
        Assert.Contains(field, error.Detail);
    }

    [Fact]
    public async Task List_filters_by_capability_and_ignores_an_unknown_one()
    {
        await RefreshScriptedAsync();

        var withTools = await Invoke("models::list", """{"capability":"tools"}""");
        var withVision = await Invoke("models::list", """{"provider":"scripted","capability":"vision"}""");
        var unknown = await Invoke("models::list", """{"provider":"scripted","capability":"telepathy"}""");

        Assert.Contains(withTools!["models"]!.AsArray(), m => m!["id"]!.GetValue<string>() == "mf-alpha");
        Assert.Empty(withVision!["models"]!.AsArray());
        Assert.Contains(unknown!["models"]!.AsArray(), m => m!["id"]!.GetValue<string>() == "mf-alpha");
    }

    [Fact]
    public void The_supports_schema_requires_what_validation_requires()
    {
        var schema = H.Engine.FunctionRegistration("models::supports")!["request_format"]!;
        Assert.Equal(["provider", "model_id", "capability"], schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        var get = H.Engine.FunctionRegistration("models::get")!["request_format"]!;
        Assert.Equal(["provider", "model_id"], get["required"]!.AsArray().Select(n => n!.GetValue<string>()));
    }
}
