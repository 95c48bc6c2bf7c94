using System.Net.Http.Json;
using Harness.Tests.Infrastructure;

namespace Harness.Benchmarks.Peers;

/// <summary>
/// This project over its HTTP API, as a client sees it: subscribe to <c>/v1/sessions/&lt;id&gt;/events?until=agent_end</c>
/// (SSE), <c>POST /v1/functions/run::start</c>, read until the stream ends after agent_end. The client loop runs in
/// the benchmark process; only the silo's CPU is counted.
/// </summary>
public sealed class HarnessHttpSystem : IPeerSystem
{
    public string Name => "harness HTTP";

    public string Database => "bench_peer_harness_http";

    public Task PrepareAsync(string connectionString) => HarnessSilo.ApplySchemaAsync(connectionString);

    public async Task<IPeerRun> StartAsync(string connectionString, string url)
    {
        var workspace = new TestWorkspace();
        try
        {
            var (silo, settings) = await HarnessSilo.StartAsync(connectionString, workspace);
            return new Run(silo, workspace, new Uri($"http://127.0.0.1:{settings.HttpPort}"));
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    private sealed class Run(SiloProcess silo, TestWorkspace workspace, Uri baseAddress) : IPeerRun
    {
        private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

        public IReadOnlyList<int> ServerPids => [silo.Pid];

        public async Task<PeerWindow> RunAsync(int concurrency, TimeSpan duration, string prefix)
        {
            var clock = Stopwatch.StartNew();
            var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
            var errors = 0;
            string? firstError = null;
            var next = 0;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                while (clock.Elapsed < duration)
                {
                    var sid = $"{prefix}-{Interlocked.Increment(ref next)}";
                    var started = clock.Elapsed;
                    try
                    {
                        await TurnAsync(sid);
                        latencies.Add((clock.Elapsed - started).TotalMilliseconds);
                    }
                    catch (Exception ex)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, $"{ex.GetType().Name}: {ex.Message}", null);
                        await Task.Delay(20);
                    }
                }
            })));
            return new PeerWindow(latencies.Count, errors, firstError, clock.Elapsed.TotalMilliseconds, [.. latencies]);
        }

        private async Task TurnAsync(string sid)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var events = await _http.GetAsync($"/v1/sessions/{sid}/events?until=agent_end", HttpCompletionOption.ResponseHeadersRead, cts.Token);
            events.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await events.Content.ReadAsStreamAsync(cts.Token));
            var first = await reader.ReadLineAsync(cts.Token);
            if (first != ": subscribed")
            {
                throw new InvalidOperationException($"SSE began with '{first}'");
            }
            using var start = await _http.PostAsJsonAsync("/v1/functions/run::start", new
            {
                session_id = sid, provider = "scripted", model = HarnessSilo.Model,
                messages = new[] { new { role = "user", content = new[] { new { type = "text", text = "hi" } }, timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() } },
            }, cts.Token);
            var body = await start.Content.ReadFromJsonAsync<JsonElement>(cts.Token);
            if (!start.IsSuccessStatusCode || !body.TryGetProperty("started", out var ok) || !ok.GetBoolean())
            {
                throw new InvalidOperationException($"run::start answered {(int)start.StatusCode} {body}");
            }
            var ended = false;
            while (await reader.ReadLineAsync(cts.Token) is { } line)
            {
                ended |= line == "event: agent_end";
            }
            if (!ended)
            {
                throw new InvalidOperationException($"the event stream of {sid} closed before agent_end");
            }
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await silo.DisposeAsync();
            workspace.Dispose();
        }
    }
}
