using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Bridge.Hosting;
using Harness.Hosting;
using Harness.Silo.Hosting;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Harness.Tests.Bridge;

/// <summary>
/// A memory-backed harness cluster whose silos run the iii bridge against an in-process engine stand-in: the same
/// silo wiring as the host (<c>AddHarnessCore</c>, <c>AddIiiBridge</c>, the model functions), scripted provider, a permissions file.
/// </summary>
public sealed class BridgeCluster : IAsyncDisposable
{
    public const string WorkerName = "harness-bridge";

    private BridgeCluster(EngineStandIn engine, InProcessTestCluster cluster, TestWorkspace workspace)
    {
        Engine = engine;
        Cluster = cluster;
        Workspace = workspace;
    }

    public EngineStandIn Engine { get; }

    public InProcessTestCluster Cluster { get; }

    public TestWorkspace Workspace { get; }

    public IGrainFactory Grains => Cluster.Client;

    public ITurnGrain Turn(string sessionId) => Grains.GetGrain<ITurnGrain>(sessionId);

    /// <summary>The bridge client of the first silo.</summary>
    public IiiWorkerClient Bridge => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress).GetRequiredService<IiiWorkerClient>();

    /// <param name="settings">Extra configuration, e.g. <c>Harness:Bridge:ExternalProviders:0</c>.</param>
    /// <param name="services">Extra silo services, e.g. more bridge function sources.</param>
    /// <param name="storage">PostgreSQL connection string for grain state that must outlive a killed silo (memory when null).</param>
    public static async Task<BridgeCluster> StartAsync(
        short silos = 1, string? permissions = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        string? storage = null)
    {
        var engine = await EngineStandIn.StartAsync();
        var workspace = new TestWorkspace();
        workspace.WritePermissions(permissions ?? TestWorkspace.DefaultPermissions);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Harness:Providers:Scripted:Directory"] = workspace.ScriptDirectory,
            ["Harness:Permissions:Path"] = workspace.PermissionsPath,
            ["Harness:Permissions:CheckTimeout"] = "00:00:02",
            ["Harness:Turn:WakeReminderPeriod"] = "00:00:02",
            ["Harness:Turn:TransientBackoff"] = "00:00:00.050",
            ["Harness:Models:RefreshOnStartup"] = "false",
            ["Harness:Bridge:EngineUrl"] = engine.Url.ToString(),
            ["Harness:Bridge:WorkerName"] = WorkerName,
            ["Harness:Bridge:ReconnectInitialDelay"] = "00:00:00.100",
            ["Harness:Bridge:ReconnectMaxDelay"] = "00:00:00.500",
            ["Harness:Bridge:ToolInvocationTimeout"] = "00:00:10",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var builder = new InProcessTestClusterBuilder(silos);
        var id = Guid.NewGuid().ToString("N")[..12];
        builder.Options.ClusterId = $"bridge-{id}";
        builder.Options.ServiceId = $"bridge-{id}";
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddHarnessCore(config);
            silo.Services.AddIiiBridge(config);
            silo.Services.AddBridgeFunctions<ModelBridgeFunctions>();
            silo.Services.AddBridgeFunctions<RouterBridgeFunctions>();
            services?.Invoke(silo.Services);
            silo.AddHarnessStorage(connectionString: storage).AddHarnessRuntime(TimeSpan.FromSeconds(2));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        await EngineStandIn.WaitUntilAsync(
            () => engine.Workers.Count(w => w.Name == WorkerName) == silos && engine.FunctionOwner("run::start") is not null,
            TimeSpan.FromSeconds(20), "every bridge silo to register");
        return new BridgeCluster(engine, cluster, workspace);
    }

    public async Task<TurnStateView> WaitForTerminalAsync(string sessionId, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        TurnStateView? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await Turn(sessionId).GetState();
            if (last is not null && TurnStates.IsTerminal(last.State))
            {
                return last;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"session {sessionId} did not finish; last state {last?.State ?? "null"}");
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Engine.DisposeAsync();
        Workspace.Dispose();
    }
}
