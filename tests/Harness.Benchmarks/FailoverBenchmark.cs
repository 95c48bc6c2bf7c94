using System.Net.Http.Json;
using Harness.Messages;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using Orleans.Runtime;

namespace Harness.Benchmarks;

/// <summary>
/// (d) Failover after kill -9: two real silo processes (PostgreSQL membership, FastFailover on),
/// a turn in the middle of a 2 s model call on one of them; that silo is SIGKILLed and we time, from the kill: the
/// membership row turning Dead, the survivor logging "Resuming turn", and the stored turn reaching <c>stopped</c>.
/// Variant "no client": nobody touches the session (the durable wake-up reminder alone brings it back); variant
/// "client polling": a UI polls <c>turn::get_state</c> on the survivor every 100 ms, which re-activates the turn as
/// soon as the dead silo's directory entry is gone. The full run adds the shipped 1-minute wake-up period.
/// </summary>
public sealed class FailoverBenchmark(BenchmarkOptions options, TextWriter log)
{
    public const string ModelDelayMs = "2000";

    private static readonly string Script = $$"""
        {"rounds":[{"events":[{"type":"text","text":"working on it"},{"type":"delay","ms":{{ModelDelayMs}}},{"type":"text","text":" done"},{"type":"stop","stop_reason":"end"}]}]}
        """;

    public sealed record Trial(string Variant, double? DeclaredDead, double? Resumed, double? Completed, string? Problem);

    public async Task<IReadOnlyList<Trial>> RunAsync()
    {
        var runs = new List<(bool Polling, string WakeReminder)>();
        for (var i = 0; i < options.FailoverTrials; i++)
        {
            runs.Add((false, "00:00:02"));
            runs.Add((true, "00:00:02"));
        }
        if (!options.Quick)
        {
            // The shipped default: shows what the wake-up period alone costs when no client touches the session.
            runs.Add((false, "00:01:00"));
        }
        var trials = new List<Trial>();
        foreach (var (polling, wakeReminder) in runs)
        {
            var trial = await RunTrialAsync(polling, wakeReminder);
            log.WriteLine($"  failover ({trial.Variant}): dead {Seconds(trial.DeclaredDead)}, resumed {Seconds(trial.Resumed)}, completed {Seconds(trial.Completed)}{(trial.Problem is null ? "" : $" — {trial.Problem}")}");
            trials.Add(trial);
        }
        return trials;
    }

    public static string Seconds(double? value) => value is { } v ? $"{v:F1} s" : "n/a";

    private async Task<Trial> RunTrialAsync(bool polling, string wakeReminder)
    {
        var variant = $"{(polling ? "client polling" : "no client")}, wake reminder {TimeSpan.Parse(wakeReminder, System.Globalization.CultureInfo.InvariantCulture).TotalSeconds:0} s";
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules:\n  - \"demo::*\"\n");
        var model = workspace.WriteScript("failover", Script);
        var id = Guid.NewGuid().ToString("N")[..10];
        var first = new SiloSettings($"fo-{id}", $"fo-{id}", options.ConnectionString, workspace, Path.Combine(workspace.Root, "demo"));
        var second = first with { SiloPort = SiloProcess.FreePort(), GatewayPort = SiloProcess.FreePort(), HttpPort = SiloProcess.FreePort() };
        await using var database = new Database(options.ConnectionString);
        var extra = new Dictionary<string, string> { ["Harness__Turn__WakeReminderPeriod"] = wakeReminder };
        await using var a = SiloProcess.Start(first, extra);
        await using var b = SiloProcess.Start(second, extra);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await a.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await b.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await using var client = await ClusterClient.ConnectAsync(first.ClusterId, first.ServiceId, options.ConnectionString);
        var management = client.Client.GetGrain<IManagementGrain>(0);
        await WaitAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, TimeSpan.FromSeconds(60), "both silos active");

        var sid = $"fo-{id}";
        var turn = client.Client.GetGrain<ITurnGrain>(sid);
        var started = await turn.Start(new RunStartRequest
        {
            SessionId = sid, MessageId = "m1", Provider = "scripted", Model = model, Messages = [AgentMessage.User("go", 1)],
        });
        if (!started.Started)
        {
            return new Trial(variant, null, null, null, $"run::start refused: {started.Reason}");
        }
        await WaitAsync(async () => (await turn.GetState())?.State == TurnStates.AssistantStreaming, TimeSpan.FromSeconds(20), "the model call");
        var host = await management.GetActivationAddress(turn);
        var (doomed, doomedSettings, survivor, survivorSettings) = host?.Endpoint.Port == first.SiloPort ? (a, first, b, second) : (b, second, a, first);

        var clock = Stopwatch.StartNew();
        await doomed.KillAsync();
        double? dead = null, resumed = null, completed = null;
        var nextPoll = TimeSpan.Zero;
        while (clock.Elapsed < TimeSpan.FromSeconds(180) && completed is null)
        {
            if (dead is null && await database.SiloStatusAsync(doomedSettings.ClusterId, doomedSettings.SiloPort) == 6)
            {
                dead = clock.Elapsed.TotalSeconds;
            }
            if (resumed is null && survivor.Output.Contains($"Resuming turn {sid}", StringComparison.Ordinal))
            {
                resumed = clock.Elapsed.TotalSeconds;
            }
            if (polling && clock.Elapsed >= nextPoll)
            {
                nextPoll = clock.Elapsed + TimeSpan.FromMilliseconds(100);
                try
                {
                    using var response = await http.PostAsJsonAsync($"http://127.0.0.1:{survivorSettings.HttpPort}/v1/functions/turn::get_state", new { session_id = sid });
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // The survivor may time out calls to the dead silo until it is declared dead.
                }
            }
            if (await database.StoredTurnStateAsync(first.ServiceId, sid) == TurnStates.Stopped)
            {
                completed = clock.Elapsed.TotalSeconds;
            }
            await Task.Delay(25);
        }
        return new Trial(variant, dead, resumed, completed, completed is null ? "turn did not complete within 180 s" : null);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
            await Task.Delay(50);
        }
    }
}
