using Harness.Models;
using Harness.Providers;
using Harness.Tests.Providers.Fakes;
using Xunit;

namespace Harness.Tests.Providers;

/// <summary>The models catalog grain filled from provider discovery served by the fake upstream.</summary>
public sealed class ModelsCatalogTests(ProvidersClusterFixture fixture) : IClassFixture<ProvidersClusterFixture>
{
    private IModelsCatalogGrain Catalog => fixture.Cluster.Client.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key);

    [Fact]
    public async Task Refresh_fills_the_catalog_from_every_providers_discovery()
    {
        var result = await Catalog.Refresh();

        Assert.Equal(ProviderNames.All.Order(), result.Providers.Select(p => p.Provider));
        Assert.True(result.RefreshedAt > 0);
        Assert.Equal(2, result.Providers.Single(p => p.Provider == "openai").Count);
        Assert.True(result.Providers.Single(p => p.Provider == "anthropic").Ok);

        var all = await Catalog.List(null);
        Assert.Contains(all.Models, m => m is { Id: "gpt-4o", Provider: "openai", ContextWindow: 128_000 });
        Assert.Contains(all.Models, m => m is { Id: "claude-sonnet-4-5", Provider: "anthropic", ContextWindow: 1_000_000 });
        Assert.Contains(all.Models, m => m is { Id: "moonshot-v1-8k", Provider: "kimi", ContextWindow: 8_192 });
        Assert.Contains(all.Models, m => m is { Id: "qwen3-8b", Provider: "lmstudio", ContextWindow: null });
        Assert.Equal(all.Models.OrderBy(m => m.Provider, StringComparer.Ordinal).ThenBy(m => m.Id, StringComparer.Ordinal), all.Models);
    }

    [Fact]
    public async Task Provider_whose_discovery_fails_is_reported_with_its_error()
    {
        var result = await Catalog.Refresh();

        var llamacpp = result.Providers.Single(p => p.Provider == "llamacpp");
        Assert.False(llamacpp.Ok);
        Assert.Contains("HTTP 500", llamacpp.Error);
        var status = await Catalog.Status();
        Assert.Equal(result.RefreshedAt, status.RefreshedAt);
        Assert.Equal(result.Providers, status.Providers);
    }

    [Fact]
    public async Task Failing_provider_keeps_its_previous_entries()
    {
        await Catalog.Refresh();
        var before = (await Catalog.Status()).Providers.Single(p => p.Provider == "lmstudio");
        fixture.Server.Always("GET /lmstudio/v1/models", FakeResponse.Error(503, """{"error":{"message":"model loading"}}"""));
        try
        {
            var result = await Catalog.Refresh();

            var lmstudio = result.Providers.Single(p => p.Provider == "lmstudio");
            Assert.False(lmstudio.Ok);
            Assert.Equal(1, lmstudio.Count);
            Assert.Equal(before.LastSuccessAt, lmstudio.LastSuccessAt);
            Assert.Equal(["qwen3-8b"], (await Catalog.List("lmstudio")).Models.Select(m => m.Id));
        }
        finally
        {
            ProvidersClusterFixture.ServeDefaultDiscovery(fixture.Server);
        }
    }

    [Fact]
    public async Task List_filters_by_provider_and_Get_finds_by_id()
    {
        await Catalog.Refresh();

        Assert.Equal(["gpt-4.1", "gpt-4o"], (await Catalog.List("OpenAI")).Models.Select(m => m.Id));
        Assert.Empty((await Catalog.List("nobody")).Models);
        Assert.Equal("kimi", (await Catalog.Get("kimi-k2-0905"))?.Provider);
        Assert.Null(await Catalog.Get("gpt-9"));
    }

    [Fact]
    public async Task Catalog_survives_deactivation()
    {
        await Catalog.Refresh();

        await fixture.Cluster.DeactivateAsync(Catalog);

        Assert.Contains((await Catalog.List(null)).Models, m => m.Id == "gpt-4o");
    }
}
