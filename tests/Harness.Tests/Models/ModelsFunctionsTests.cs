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
        H = await BridgeCluster.StartAsync();
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
