using Harness.Functions;
using Harness.Hosting;
using Harness.Silo.Hosting;
using Harness.Tests.Storage;
using Harness.Turns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Harness.Tests.Infrastructure;

/// <summary>
/// An in-process harness cluster on the real PostgreSQL (grain storage, reminders, pub-sub), with the same silo
/// wiring as the host, a folder of provider scripts, a permissions file and in-process tools shared by all silos.
/// </summary>
public sealed class HarnessCluster : IAsyncDisposable
{
    private HarnessCluster(InProcessTestCluster cluster, TestWorkspace workspace, LocalFunctionRegistry tools)
    {
        Cluster = cluster;
        Workspace = workspace;
        Tools = tools;
    }

    public InProcessTestCluster Cluster { get; }

    public TestWorkspace Workspace { get; }

    /// <summary>In-process functions the model can call through agent_trigger (shared by every silo).</summary>
    public LocalFunctionRegistry Tools { get; }

    public IGrainFactory Grains => Cluster.Client;

    public string ServiceId => Cluster.Options.ServiceId;

    public ITurnGrain Turn(string sessionId) => Grains.GetGrain<ITurnGrain>(sessionId);

    /// <param name="serviceId">Reuse the stored state of an earlier cluster (a full restart); default: a fresh service.</param>
    /// <param name="workspace">Reuse an earlier cluster's scripts and permissions.</param>
    public static async Task<HarnessCluster> StartAsync(
        short silos = 1,
        string? permissions = null,
        Action<IServiceCollection>? services = null,
        string? serviceId = null,
        TestWorkspace? workspace = null,
        LocalFunctionRegistry? tools = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        if (workspace is null)
        {
            workspace = new TestWorkspace();
            workspace.WritePermissions(permissions ?? TestWorkspace.DefaultPermissions);
        }
        tools ??= new LocalFunctionRegistry();
        var connectionString = PostgresDatabase.ConnectionString;
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Harness:Providers:Scripted:Directory"] = workspace.ScriptDirectory,
            ["Harness:Permissions:Path"] = workspace.PermissionsPath,
            ["Harness:Permissions:CheckTimeout"] = "00:00:02",
            ["Harness:Turn:WakeReminderPeriod"] = "00:00:02",
            ["Harness:Turn:TransientBackoff"] = "00:00:00.050",
            ["Harness:Models:RefreshOnStartup"] = "false",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var builder = new InProcessTestClusterBuilder(silos);
        var id = Guid.NewGuid().ToString("N")[..12];
        builder.Options.ClusterId = $"test-{id}";
        builder.Options.ServiceId = serviceId ?? $"test-{id}";
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(tools);
            silo.Services.AddHarnessCore(config);
            services?.Invoke(silo.Services);
            silo.AddHarnessStorage(connectionString).AddHarnessRuntime(TimeSpan.FromSeconds(2));
        });
        builder.ConfigureClient(client => client.AddActivityPropagation());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new HarnessCluster(cluster, workspace, tools);
    }

    /// <summary>Subscribes to a session's agent events (subscribe before starting the run).</summary>
    public Task<EventRecorder> RecordAsync(string sessionId) => EventRecorder.StartAsync(Cluster.Client, sessionId);

    public async Task<TurnStateView> WaitForStateAsync(string sessionId, Func<TurnStateView, bool> until, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        TurnStateView? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await Turn(sessionId).GetState();
            if (last is not null && until(last))
            {
                return last;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"session {sessionId} never reached the expected state; last: {(last is null ? "null" : $"{last.State} {last.Error?.Message}")}");
    }

    public Task<TurnStateView> WaitForTerminalAsync(string sessionId, int seconds = 20) =>
        WaitForStateAsync(sessionId, v => TurnStates.IsTerminal(v.State), seconds);

    /// <summary>Stops every silo gracefully but keeps the workspace (for a restart with the same service id).</summary>
    public async Task StopAsync() => await Cluster.DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Workspace.Dispose();
    }
}
