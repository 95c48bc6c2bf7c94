using Harness.Models;
using Xunit;

namespace Harness.Tests.Providers;

/// <summary>The silo-start refresh, on a cluster where nothing else refreshes the catalog.</summary>
public sealed class ModelsCatalogStartupTests(ProvidersClusterFixture fixture) : IClassFixture<ProvidersClusterFixture>
{
    [Fact]
    public async Task Silo_start_refreshes_the_catalog_without_being_asked()
    {
        var catalog = fixture.Cluster.Client.GetGrain<IModelsCatalogGrain>(IModelsCatalogGrain.Key);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await catalog.Status()).RefreshedAt == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.True((await catalog.Status()).RefreshedAt > 0);
        Assert.Contains((await catalog.List(null)).Models, m => m.Id == "gpt-4o");
    }
}
