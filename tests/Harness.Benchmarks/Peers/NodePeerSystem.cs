namespace Harness.Benchmarks.Peers;

/// <summary>A peer library (LangGraph.js, DBOS) embedded in one Node process that also drives its turns.</summary>
public sealed class NodePeerSystem(string name, string database, string script) : IPeerSystem
{
    public string Name => name;

    public string Database => database;

    public Task PrepareAsync(string connectionString) => Task.CompletedTask;

    public async Task<IPeerRun> StartAsync(string connectionString, string url) =>
        new Run(await NodePeerProcess.StartAsync(script, [url], TimeSpan.FromSeconds(120)));

    private sealed class Run(NodePeerProcess node) : IPeerRun
    {
        public IReadOnlyList<int> ServerPids => [node.ProcessId];

        public Task<PeerWindow> RunAsync(int concurrency, TimeSpan duration, string prefix) => node.RunAsync(concurrency, duration, prefix);

        public ValueTask DisposeAsync() => node.DisposeAsync();
    }
}
