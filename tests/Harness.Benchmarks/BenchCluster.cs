using Harness.Bridge.Hosting;
using Harness.Hosting;
using Harness.Silo.Hosting;
using Harness.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Harness.Benchmarks;

/// <summary>
/// An in-process harness cluster on PostgreSQL with the host's silo wiring (the same lines as the tests'
/// <c>HarnessCluster</c>): grain storage, reminders and pub-sub in the database, scripted provider, optional iii bridge.
/// </summary>
public sealed class BenchCluster : IAsyncDisposable
{
    private BenchCluster(InProcessTestCluster cluster) => Cluster = cluster;

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public string ServiceId => Cluster.Options.ServiceId;

    public static async Task<BenchCluster> StartAsync(short silos, string connectionString, TestWorkspace workspace, string? engineUrl = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Harness:Providers:Scripted:Directory"] = workspace.ScriptDirectory,
            ["Harness:Permissions:Path"] = workspace.PermissionsPath,
            ["Harness:Turn:WakeReminderPeriod"] = "00:00:02",
            ["Harness:Models:RefreshOnStartup"] = "false",
        };
        if (engineUrl is not null)
        {
            settings["Harness:Bridge:EngineUrl"] = engineUrl;
            settings["Harness:Bridge:WorkerName"] = "harness-bridge";
        }
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = new InProcessTestClusterBuilder(silos);
        var id = Guid.NewGuid().ToString("N")[..12];
        builder.Options.ClusterId = $"bench-{id}";
        builder.Options.ServiceId = $"bench-{id}";
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureHost(host => host.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Error));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddHarnessCore(config);
            if (engineUrl is not null)
            {
                silo.Services.AddIiiBridge(config);
            }
            silo.AddHarnessStorage(connectionString).AddHarnessRuntime(TimeSpan.FromSeconds(2));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new BenchCluster(cluster);
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
