using Harness.Approvals;
using Harness.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Xunit;

namespace Harness.Tests.Approvals;

/// <summary>One in-process silo with memory storage "harness" and the approvals services, shared by the collection.</summary>
public sealed class ApprovalClusterFixture : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    /// <summary>The silo's approvals configuration; tests may change it and call <see cref="IConfigurationRoot.Reload"/>.</summary>
    public IConfigurationRoot Configuration { get; } = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Harness:Permissions:DefaultMode"] = ApprovalModes.Manual,
        })
        .Build();

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("cluster not started");

    public IClusterClient Client => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(HarnessStorage.Name);
            silo.Services.AddHarnessApprovals(Configuration);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
