using System.Text.Json;
using Harness.Models;
using Harness.Providers;
using Harness.Serialization;
using Harness.Tests.Providers.Fakes;
using Harness.Validation;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Harness.Tests.Providers;

/// <summary>Provider self-registration, routing, listing, runtime keys and key hygiene.</summary>
public sealed class ProviderRegistrationTests : IAsyncLifetime
{
    private ProviderTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ProviderTestHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("anthropic")]
    [InlineData("openai")]
    [InlineData("kimi")]
    [InlineData("lmstudio")]
    [InlineData("llamacpp")]
    [InlineData("LMStudio")]
    public void Registry_finds_every_built_in_provider_by_name(string name)
    {
        var provider = _host.Registry.Find(name);

        Assert.NotNull(provider);
        Assert.Equal(name.ToLowerInvariant(), provider.Name);
    }

    [Fact]
    public void Registry_holds_exactly_the_five_built_in_providers()
    {
        Assert.Equal(ProviderNames.All.Order(), _host.Registry.All.Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Disabled_provider_is_not_registered()
    {
        await using var host = await ProviderTestHost.StartAsync(s => s["Harness:Providers:llamacpp:Enabled"] = "false");

        Assert.Null(host.Registry.Find(ProviderNames.LlamaCpp));
        Assert.Equal(4, host.Registry.All.Count);
    }

    [Theory]
    [InlineData(null, "gpt-4o", "openai")]
    [InlineData("", "o3-mini", "openai")]
    [InlineData("", "GPT-4.1", "openai")]
    [InlineData("", "kimi-k2-0905", "kimi")]
    [InlineData("", "moonshot-v1-8k", "kimi")]
    [InlineData("", "claude-sonnet-4-5", "anthropic")]
    [InlineData("", "qwen3-coder", "anthropic")]
    [InlineData(null, null, "anthropic")]
    [InlineData("LMStudio", "claude-sonnet-4-5", "lmstudio")]
    [InlineData(" OpenAI ", "kimi-k2", "openai")]
    [InlineData("llamacpp", "gpt-4o", "llamacpp")]
    public void Decide_routes_explicit_provider_first_then_by_model_prefix(string? provider, string? model, string expected)
    {
        Assert.Equal(expected, ProviderRouter.Decide(provider, model));
    }

    [Fact]
    public void Every_routing_target_is_a_registered_provider()
    {
        foreach (var model in new[] { "gpt-4o", "kimi-k2", "claude-opus-4" })
        {
            Assert.NotNull(_host.Registry.Find(ProviderRouter.Decide(null, model)));
        }
    }

    [Fact]
    public async Task Provider_list_describes_each_provider_sorted_by_id()
    {
        var list = await _host.Services.GetRequiredService<ProviderAdmin>().ListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["anthropic", "kimi", "llamacpp", "lmstudio", "openai"], list.Providers.Select(p => p.Id));
        Assert.Equal("LM Studio", list.Providers.Single(p => p.Id == "lmstudio").DisplayName);
        Assert.All(list.Providers, p => Assert.True(p.SupportsModelListing));
        var json = WireJson.Serialize(list);
        Assert.Contains("\"display_name\"", json);
        Assert.Contains("\"supports_model_listing\":true", json);
    }

    [Fact]
    public async Task Configured_key_reports_source_configuration_without_the_key()
    {
        var status = await _host.Services.GetRequiredService<ProviderAdmin>().StatusAsync("openai", TestContext.Current.CancellationToken);

        Assert.True(status.Configured);
        Assert.Equal(ProviderKeySources.Configuration, status.Source);
        Assert.Equal(_host.Server.Url("openai/v1"), status.ApiUrl!.TrimEnd('/'));
        Assert.DoesNotContain(ProviderTestHost.KeyOf("openai"), WireJson.Serialize(status));
    }

    [Fact]
    public async Task Keyless_local_provider_counts_as_configured()
    {
        var status = await _host.Services.GetRequiredService<ProviderAdmin>().StatusAsync("lmstudio", TestContext.Current.CancellationToken);

        Assert.True(status.Configured);
        Assert.Null(status.Source);
    }

    [Fact]
    public async Task Runtime_key_wins_over_configuration_and_is_never_returned()
    {
        var admin = _host.Services.GetRequiredService<ProviderAdmin>();
        const string runtimeKey = "sk-runtime-key-abcdefgh";

        var reply = await admin.ConfigureAsync(new ProviderConfigureRequest { Provider = "OpenAI", ApiKey = runtimeKey, MaxTokens = 1000 }, TestContext.Current.CancellationToken);
        _host.Server.Enqueue(OpenAiFixtures.ChatRoute, OpenAiFixtures.TextAnswer());
        await _host.StreamAsync(ProviderNames.OpenAi, Conversations.Hello());

        Assert.True(reply.Ok);
        Assert.True(reply.Configured);
        Assert.Equal(ProviderKeySources.Stored, reply.Source);
        Assert.Equal(1000, reply.MaxTokens);
        Assert.DoesNotContain(runtimeKey, WireJson.Serialize(reply));
        var request = Assert.Single(_host.Server.Requests);
        Assert.Equal($"Bearer {runtimeKey}", request.Header("authorization"));
        Assert.Equal(1000, request.Json.GetProperty("max_completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Runtime_url_redirects_the_provider()
    {
        var admin = _host.Services.GetRequiredService<ProviderAdmin>();

        await admin.ConfigureAsync(new ProviderConfigureRequest { Provider = "lmstudio", ApiUrl = _host.Server.Url("elsewhere/v1") }, TestContext.Current.CancellationToken);
        _host.Server.Enqueue("POST /elsewhere/v1/chat/completions", OpenAiFixtures.TextAnswer());
        var events = await _host.StreamAsync(ProviderNames.LmStudio, Conversations.Hello("qwen3"));

        Assert.Equal("done", events[^1].Type);
    }

    [Fact]
    public async Task Empty_api_key_clears_the_stored_key()
    {
        var admin = _host.Services.GetRequiredService<ProviderAdmin>();
        await admin.ConfigureAsync(new ProviderConfigureRequest { Provider = "openai", ApiKey = "sk-runtime-key-abcdefgh" }, TestContext.Current.CancellationToken);

        var reply = await admin.ConfigureAsync(new ProviderConfigureRequest { Provider = "openai", ApiKey = "" }, TestContext.Current.CancellationToken);

        Assert.Equal(ProviderKeySources.Configuration, reply.Source);
    }

    [Theory]
    [InlineData(null, null, null, "provider")]
    [InlineData("nope", null, null, "provider")]
    [InlineData("openai", "ftp://example.com", null, "api_url")]
    [InlineData("openai", "not a url", null, "api_url")]
    [InlineData("openai", null, 0, "max_tokens")]
    [InlineData("openai", null, 2_000_000, "max_tokens")]
    public async Task Configure_rejects_bad_fields_by_name(string? provider, string? url, int? maxTokens, string field)
    {
        var admin = _host.Services.GetRequiredService<ProviderAdmin>();

        var ex = await Assert.ThrowsAsync<PayloadValidationException>(() =>
            admin.ConfigureAsync(new ProviderConfigureRequest { Provider = provider, ApiUrl = url, MaxTokens = maxTokens }, TestContext.Current.CancellationToken));

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Configure_rejects_a_key_with_whitespace()
    {
        var ex = Assert.Throws<PayloadValidationException>(() => new ProviderConfigureRequest { Provider = "openai", ApiKey = "sk bad" }.Validate());

        Assert.Equal("api_key", ex.Field);
    }

    [Fact]
    public void Types_that_hold_a_key_mask_it_in_ToString_and_json()
    {
        const string key = "sk-secret-0123456789";

        var texts = new[]
        {
            new ProviderConnection("openai", new Uri("https://api.openai.com/v1"), key, ProviderKeySources.Stored, null).ToString(),
            new ProviderCredentials { ApiKey = key, ApiUrl = "https://x" }.ToString(),
            new ProviderConfigureRequest { Provider = "openai", ApiKey = key }.ToString(),
            new ProviderConfigState { ApiKey = key }.ToString(),
            JsonSerializer.Serialize(new ProviderCredentials { ApiKey = key, ApiUrl = "https://x" }),
        };

        Assert.All(texts, t => Assert.DoesNotContain(key, t));
    }

    [Theory]
    [InlineData("gpt-4o-mini", 128_000L)]
    [InlineData("gpt-4.1-mini", 1_047_576L)]
    [InlineData("claude-3-5-haiku-latest", 200_000L)]
    [InlineData("moonshot-v1-8k", 8_192L)]
    [InlineData("kimi-latest", 131_072L)]
    [InlineData("qwen3-coder-30b", null)]
    public void Known_context_windows_match_by_longest_prefix(string model, long? expected)
    {
        Assert.Equal(expected, KnownModelLimits.ContextWindow(model));
    }

    [Fact]
    public async Task OpenAi_compatible_listing_adds_known_context_windows_and_configured_models()
    {
        await using var host = await ProviderTestHost.StartAsync(s => s["Harness:Providers:openai:Models:0"] = "gpt-4o-custom");
        host.Server.Enqueue("GET /openai/v1/models", OpenAiFixtures.Models("gpt-4o", "gpt-4.1-mini", "text-embedding-3-small"));

        var models = await host.Provider(ProviderNames.OpenAi).ListModelsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["gpt-4o", "gpt-4.1-mini", "text-embedding-3-small", "gpt-4o-custom"], models.Select(m => m.Id));
        Assert.Equal([128_000L, 1_047_576L, null, 128_000L], models.Select(m => m.ContextWindow));
        Assert.All(models, m => Assert.Equal(("openai-completions", "sse", 8192L, true), (m.Api, Assert.Single(m.Transports!), m.MaxOutputTokens, m.SupportsTools)));
        Assert.Equal($"Bearer {ProviderTestHost.KeyOf("openai")}", Assert.Single(host.Server.Requests).Header("authorization"));
    }
}
