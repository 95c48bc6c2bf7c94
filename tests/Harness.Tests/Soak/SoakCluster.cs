using System.Diagnostics;
using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;
using Orleans.Runtime;

namespace Harness.Tests.Soak;

/// <summary>
/// The soak's own world: a private PostgreSQL server, the engine stand-in, N silo processes bridging to it, and a
/// cluster client; plus the faults the soak injects into it.
/// </summary>
public sealed class SoakCluster : IAsyncDisposable
{
    /// <summary>File names the permissions allow without asking; every other <c>demo::append_line</c> call parks.</summary>
    public const string AutoPrefix = "auto-";

    private readonly SoakOptions _options;
    private readonly List<SiloProcess> _silos = [];
    private readonly List<SiloProcess> _retired = [];
    private readonly Random _random = new();
    private SiloSettings _settings = null!;
    private int _enginePort;
    private string _engineUrl = "";

    private SoakCluster(SoakOptions options, PrivatePostgres pg, TestWorkspace workspace)
    {
        _options = options;
        Postgres = pg;
        Workspace = workspace;
    }

    public PrivatePostgres Postgres { get; }

    public TestWorkspace Workspace { get; }

    public string DemoDirectory => Path.Combine(Workspace.Root, "demo");

    public EngineStandIn Engine { get; private set; } = null!;

    public ClusterClient Client { get; private set; } = null!;

    public IGrainFactory Grains => Client.Client;

    /// <summary>Every silo's output, the replaced ones too (for failure messages).</summary>
    public string SiloOutput => string.Join("\n", _retired.Concat(_silos).Select((s, i) => $"--- silo {i} (pid {s.Pid}):\n{s.Output}"));

    public static async Task<SoakCluster> StartAsync(SoakOptions options)
    {
        var pg = await PrivatePostgres.StartAsync();
        var workspace = new TestWorkspace();
        var cluster = new SoakCluster(options, pg, workspace);
        try
        {
            await cluster.StartWorldAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartWorldAsync()
    {
        Workspace.WritePermissions($$"""
            rules:
              - function: "demo::append_line"
                action: allow
                args:
                  file: { matches: "^{{AutoPrefix}}" }
            """);
        Engine = await EngineStandIn.StartAsync();
        _enginePort = Engine.Url.Port;
        _engineUrl = Engine.Url.ToString();
        var id = Guid.NewGuid().ToString("N")[..10];
        _settings = new SiloSettings($"soak-{id}", $"soak-{id}", Postgres.ConnectionString, Workspace, DemoDirectory);
        for (var i = 0; i < _options.Silos; i++)
        {
            _silos.Add(StartSilo());
        }
        await Task.WhenAll(_silos.Select(s => s.WaitHealthyAsync(_options.SiloStartup)));
        Client = await ClusterClient.ConnectAsync(_settings.ClusterId, _settings.ServiceId, _settings.ConnectionString, seconds: 120);
        await WaitForMembersAsync(_options.Silos);
        await WaitForBridgesAsync();
    }

    private SiloProcess StartSilo() => SiloProcess.Start(
        _settings with { SiloPort = SiloProcess.FreePort(), GatewayPort = SiloProcess.FreePort(), HttpPort = SiloProcess.FreePort() },
        new Dictionary<string, string>
        {
            ["Harness__Bridge__EngineUrl"] = _engineUrl,
            ["Harness__Bridge__ReconnectInitialDelay"] = "00:00:00.100",
            ["Harness__Bridge__ReconnectMaxDelay"] = "00:00:01",
        });

    public async Task InjectAsync(SoakFault fault)
    {
        switch (fault)
        {
            case SoakFault.KillSilo:
                var victim = _silos[_random.Next(_silos.Count)];
                await victim.KillAsync();
                await ReplaceAsync(victim);
                break;
            case SoakFault.RollingRestart:
                foreach (var silo in _silos.ToList())
                {
                    using (var term = Process.Start("kill", ["-TERM", silo.Pid.ToString()])!)
                    {
                        await term.WaitForExitAsync();
                    }
                    if (!await silo.WaitForExitAsync(TimeSpan.FromSeconds(90)))
                    {
                        await silo.KillAsync();  // graceful stop hung: counted in the log, the soak goes on
                        _options.Log?.Invoke($"silo {silo.Pid} did not stop on SIGTERM within 90 s; killed");
                    }
                    await ReplaceAsync(silo);
                }
                break;
            case SoakFault.PostgresRestart:
                await Postgres.RestartImmediateAsync();
                break;
            case SoakFault.EngineRestart:
                await Engine.DisposeAsync();
                await Task.Delay(TimeSpan.FromSeconds(2));
                Engine = await EngineStandIn.StartAsync(_enginePort);
                await WaitForBridgesAsync();
                break;
        }
    }

    private async Task ReplaceAsync(SiloProcess old)
    {
        _silos.Remove(old);
        _retired.Add(old);
        var fresh = StartSilo();
        _silos.Add(fresh);
        await fresh.WaitHealthyAsync(_options.SiloStartup);
        await WaitForMembersAsync(_options.Silos);
    }

    /// <summary>Waits (bounded) until exactly the live silos are active members.</summary>
    public async Task WaitForMembersAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count == count)
                {
                    return;
                }
            }
            catch (Exception)
            {
                // The management grain's silo may be the one that just died.
            }
            await Task.Delay(500);
        }
        _options.Log?.Invoke($"membership did not settle on {count} active silos within 120 s");
    }

    private async Task WaitForBridgesAsync()
    {
        var pids = _silos.Select(s => s.Pid).ToHashSet();
        try
        {
            await EngineStandIn.WaitUntilAsync(
                () => Engine.WorkersNamed("harness").Count(w => pids.Contains(w.Metadata?["pid"]?.GetValue<int>() ?? -1)) == pids.Count,
                TimeSpan.FromSeconds(90), "every silo's bridge to register");
        }
        catch (Exception ex)
        {
            _options.Log?.Invoke(ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }
        foreach (var silo in _silos.Concat(_retired))
        {
            await silo.DisposeAsync();
        }
        if (Engine is not null)
        {
            await Engine.DisposeAsync();
        }
        await Postgres.DisposeAsync();
        Workspace.Dispose();
    }
}
