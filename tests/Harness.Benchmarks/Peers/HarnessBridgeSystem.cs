using Harness.Tests.Bridge.StandIn;
using Harness.Tests.Infrastructure;

namespace Harness.Benchmarks.Peers;

/// <summary>
/// This project over the iii bridge: a silo process with <c>Harness:Bridge:EngineUrl</c> on the test engine stand-in
/// (hosted in the benchmark process, not counted), driven by the real <c>iii-sdk</c> like the console
/// (<c>peer-bridge.mjs</c>: <c>harness::trigger</c> + a stream trigger on <c>agent::events</c>). Only the silo's CPU
/// is counted; the Node driver is the client.
/// </summary>
public sealed class HarnessBridgeSystem : IPeerSystem
{
    public string Name => "harness bridge";

    public string Database => "bench_peer_harness_bridge";

    public Task PrepareAsync(string connectionString) => HarnessSilo.ApplySchemaAsync(connectionString);

    public async Task<IPeerRun> StartAsync(string connectionString, string url)
    {
        var engine = await EngineStandIn.StartAsync();
        var workspace = new TestWorkspace();
        SiloProcess? silo = null;
        try
        {
            (silo, _) = await HarnessSilo.StartAsync(connectionString, workspace, new Dictionary<string, string>
            {
                ["Harness__Bridge__EngineUrl"] = engine.Url.ToString(),
                ["Harness__Bridge__WorkerName"] = "harness-bridge",
            });
            var driver = await NodePeerProcess.StartAsync("peer-bridge.mjs", [engine.Url.ToString(), HarnessSilo.Model], TimeSpan.FromSeconds(90));
            return new Run(engine, silo, workspace, driver);
        }
        catch
        {
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }
            workspace.Dispose();
            await engine.DisposeAsync();
            throw;
        }
    }

    private sealed class Run(EngineStandIn engine, SiloProcess silo, TestWorkspace workspace, NodePeerProcess driver) : IPeerRun
    {
        public IReadOnlyList<int> ServerPids => [silo.Pid];

        public Task<PeerWindow> RunAsync(int concurrency, TimeSpan duration, string prefix) => driver.RunAsync(concurrency, duration, prefix);

        public async ValueTask DisposeAsync()
        {
            await driver.DisposeAsync();
            await silo.DisposeAsync();
            workspace.Dispose();
            await engine.DisposeAsync();
        }
    }
}
