using Harness.Hosting;
using Harness.Providers;
using Harness.Tests.Providers.Fakes;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using Xunit;

namespace Harness.Tests.Providers;

/// <summary>
/// A one-silo in-process cluster with memory storage "harness" and the providers registered as in the silo, every
/// provider pointed at a fake upstream that serves model discovery (llamacpp's discovery fails with HTTP 500).
/// </summary>
public sealed class ProvidersClusterFixture : IAsyncLifetime
{
    public FakeUpstreamServer Server { get; private set; } = null!;
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IServiceProvider SiloServices => Cluster.Silos[0].ServiceProvider;

    public async ValueTask InitializeAsync()
    {
        Server = await FakeUpstreamServer.StartAsync();
        ServeDefaultDiscovery(Server);
        var settings = ProviderTestHost.BaseSettings(Server);

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(settings);
            host.Services.AddHarnessProviders(host.Configuration);
        });
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage(HarnessStorage.Name));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public static void ServeDefaultDiscovery(FakeUpstreamServer server)
    {
        server.Always("GET /openai/v1/models", OpenAiFixtures.Models("gpt-4o", "gpt-4.1"));
        server.Always("GET /kimi/v1/models", OpenAiFixtures.Models("kimi-k2-0905", "moonshot-v1-8k"));
        server.Always("GET /lmstudio/v1/models", OpenAiFixtures.Models("qwen3-8b"));
        server.Always("GET /llamacpp/v1/models", OpenAiFixtures.ServerError());
        server.Always(AnthropicFixtures.ModelsRoute, AnthropicFixtures.Models(("claude-sonnet-4-5", "Claude Sonnet 4.5", 1_000_000), ("claude-haiku-4-5", "Claude Haiku 4.5", null)));
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Server.DisposeAsync();
    }
}
