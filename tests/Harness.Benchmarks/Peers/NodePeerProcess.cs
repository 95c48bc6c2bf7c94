using System.Text.Json.Nodes;

namespace Harness.Benchmarks.Peers;

/// <summary>
/// One of the Node scripts in <c>tests/Harness.Benchmarks/node</c> (<c>peer-loop.mjs</c> protocol): started from that
/// folder so it resolves the pinned packages, driven by JSON lines on stdin, answering JSON lines on stdout.
/// </summary>
public sealed class NodePeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _stderr = new();
    private readonly System.Threading.Channels.Channel<JsonNode> _lines = System.Threading.Channels.Channel.CreateUnbounded<JsonNode>();

    private NodePeerProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    public static async Task<NodePeerProcess> StartAsync(string script, IEnumerable<string> args, TimeSpan readyTimeout)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = NodePackages.Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(NodePackages.Directory, script));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["OTEL_ENABLED"] = "false";
        info.Environment["III_DISABLE_TRACE_PAYLOADS"] = "1";
        info.Environment["NODE_NO_WARNINGS"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"node {script} did not start");
        var peer = new NodePeerProcess(process);
        _ = Task.Run(peer.PumpStdoutAsync);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (peer._stderr)
            {
                if (e.Data is not null && peer._stderr.Length < 20_000)
                {
                    peer._stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        var ready = await peer.NextAsync(readyTimeout);
        if (ready["event"]?.GetValue<string>() != "ready")
        {
            throw new InvalidOperationException($"{script}: expected ready, got {ready.ToJsonString()}");
        }
        return peer;
    }

    public async Task<PeerWindow> RunAsync(int concurrency, TimeSpan duration, string prefix)
    {
        var command = new JsonObject { ["cmd"] = "run", ["c"] = concurrency, ["ms"] = (int)duration.TotalMilliseconds, ["prefix"] = prefix };
        await _process.StandardInput.WriteLineAsync(command.ToJsonString());
        await _process.StandardInput.FlushAsync();
        var result = await NextAsync(duration + TimeSpan.FromMinutes(2));
        if (result["event"]?.GetValue<string>() != "result")
        {
            throw new InvalidOperationException($"expected a result, got {result.ToJsonString()}");
        }
        return new PeerWindow(result["turns"]!.GetValue<int>(), result["errors"]!.GetValue<int>(), result["first_error"]?.GetValue<string>(),
            result["elapsed_ms"]!.GetValue<double>(), [.. result["latencies_ms"]!.AsArray().Select(v => v!.GetValue<double>())]);
    }

    private async Task<JsonNode> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _lines.Reader.ReadAsync(cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            throw new InvalidOperationException($"node peer {(ex is OperationCanceledException ? "did not answer in time" : "exited")}; stderr:\n{Stderr()}");
        }
    }

    private async Task PumpStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith('{'))
            {
                try
                {
                    _lines.Writer.TryWrite(JsonNode.Parse(line)!);
                }
                catch (JsonException)
                {
                    // A library's own log line that happens to start with "{".
                }
            }
        }
        _lines.Writer.TryComplete();
    }

    private string Stderr()
    {
        lock (_stderr)
        {
            return _stderr.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await _process.StandardInput.WriteLineAsync("""{"cmd":"exit"}""");
                await _process.StandardInput.FlushAsync();
            }
            catch (IOException)
            {
                // Already gone.
            }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
