using System.Collections.Concurrent;
using System.Diagnostics;
using Harness.Approvals;
using Harness.Events;
using Harness.Messages;
using Harness.Sessions;
using Harness.Tests.Infrastructure;
using Harness.Turns;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Soak;

/// <summary>
/// Runs a soak: <see cref="SoakOptions.Sessions"/> lanes each run one tool turn after another (each in a fresh
/// session, through the cluster client, retrying calls that fail while a fault is in progress), while the faults are
/// injected one after the other. A third of the turns park their call for approval (the driver allows it), a third
/// are steered mid-turn (a steering message pushed into the session inbox while the model streams). Every turn is
/// checked when it stops: its tool ran exactly once (the tool's own file), the transcript holds the tool result and
/// the final answer, and its subscriber handed on every stored event 1..N.
/// </summary>
public sealed class SoakDriver(SoakCluster cluster, SoakOptions options)
{
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<string> _faultLog = new();
    private readonly object _pauseGate = new();
    private long _graceEndsTicks = DateTime.MaxValue.Ticks;
    private int _started, _completed, _lost, _duplicated, _missingTools, _stuck, _eventsMissing, _approvals, _steers, _steersLost, _steersLate, _retries, _interrupted, _gateUnavailable;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _eventsSeen;
    private TimeSpan _longestPause;

    private IGrainFactory Grains => cluster.Grains;

    private DateTime GraceEnds => new(Interlocked.Read(ref _graceEndsTicks), DateTimeKind.Utc);

    private bool PastGrace => DateTime.UtcNow > GraceEnds;

    public static async Task<SoakResult> RunAsync(SoakOptions options)
    {
        await using var cluster = await SoakCluster.StartAsync(options);
        return await new SoakDriver(cluster, options).RunAsync();
    }

    public async Task<SoakResult> RunAsync()
    {
        var clock = _clock;
        using var stopStarting = new CancellationTokenSource();
        var lanes = Enumerable.Range(0, options.Sessions).Select(i => LaneAsync(i, stopStarting.Token)).ToList();
        await InjectFaultsAsync(clock);
        var rest = options.Duration - clock.Elapsed;
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest);
        }
        // New turns stop here (after the duration and after every fault); the ones in flight get the grace period.
        Interlocked.Exchange(ref _graceEndsTicks, (DateTime.UtcNow + options.Grace).Ticks);
        options.Log?.Invoke($"{clock.Elapsed.TotalSeconds:F0} s: no new turns; {_started - _completed - _lost - _stuck} in flight get {options.Grace.TotalSeconds:F0} s");
        stopStarting.Cancel();
        await Task.WhenAll(lanes);
        return new SoakResult
        {
            TurnsStarted = _started,
            TurnsCompleted = _completed,
            TurnsLost = _lost,
            DuplicatedToolExecutions = _duplicated,
            MissingToolExecutions = _missingTools,
            TurnsStuck = _stuck,
            EventsMissing = _eventsMissing,
            EventsSeen = _eventsSeen,
            Approvals = _approvals,
            SteersPushed = _steers,
            SteersLost = _steersLost,
            SteersLate = _steersLate,
            Retries = _retries,
            ToolCallsInterrupted = _interrupted,
            ToolCallsDeniedPolicyUnreachable = _gateUnavailable,
            LongestPause = _longestPause,
            FaultLog = [.. _faultLog],
            Problems = [.. _problems],
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>The faults, one after the other, the k-th due at k/(F+1) of the duration (later if the one before took long).</summary>
    private async Task InjectFaultsAsync(Stopwatch clock)
    {
        for (var k = 0; k < options.Faults.Count; k++)
        {
            var due = options.Duration * (k + 1) / (options.Faults.Count + 1);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
            var fault = options.Faults[k];
            var at = clock.Elapsed;
            var line = $"{at.TotalSeconds:F0} s: {fault} ({_completed} turns done so far)";
            options.Log?.Invoke(line + " …");
            try
            {
                await cluster.InjectAsync(fault);
                line += $", back after {(clock.Elapsed - at).TotalSeconds:F1} s";
            }
            catch (Exception ex)
            {
                line += $", FAILED: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
                Problem($"fault {fault}: {ex}");
            }
            _faultLog.Enqueue(line);
            options.Log?.Invoke(line);
        }
    }

    private async Task LaneAsync(int lane, CancellationToken stopStarting)
    {
        await Task.Delay(lane * 50, CancellationToken.None);  // do not start all sessions in the same instant
        while (!stopStarting.IsCancellationRequested)
        {
            try
            {
                await RunTurnAsync(lane);
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _lost);
                Problem($"lane {lane}: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
            }
        }
    }

    private async Task RunTurnAsync(int lane)
    {
        var sid = Runs.NewSession();
        var asks = lane % 3 == 1;
        var steers = lane % 3 == 2;
        var file = (asks ? "ask-" : SoakCluster.AutoPrefix) + sid + ".log";
        var model = cluster.Workspace.WriteScript($"soak-{sid}", Rounds(
            $$"""{{Text("working")}},{"type":"delay","ms":1000},{{Call("c1", "demo::append_line", $$"""{"file":"{{file}}","line":"c1"}""")}}""",
            Text("done")));
        var track = new TurnTrack();
        var subscription = await RetryAsync(() => SessionEventSubscription.StartAsync(Grains, sid, track.OnFrame, afterSeq: 0));
        if (subscription is null)
        {
            return;  // the cluster was away for the whole grace period before this turn started: nothing was started
        }
        await using var _ = subscription;
        var turn = Grains.GetGrain<ITurnGrain>(sid);
        if (!await StartAsync(turn, sid, model))
        {
            return;
        }
        Interlocked.Increment(ref _started);
        track.Restart();

        var steerText = $"steer-{sid}";
        var steerAcked = false;
        string? final = null;
        while (final is null)
        {
            if (PastGrace)
            {
                Interlocked.Increment(ref _stuck);
                Problem($"{sid}: stuck in {(await TryAsync(turn.GetState))?.State ?? "?"} after the grace period; silo lines: {SiloLines(sid)}");
                Merge(track);
                return;
            }
            var view = await TryAsync(turn.GetState);
            if (view is not null)
            {
                track.OnState(view.State);
                if (TurnStates.IsTerminal(view.State))
                {
                    final = view.State;
                    break;
                }
                if (view.State == TurnStates.FunctionAwaitingApproval)
                {
                    foreach (var parked in view.AwaitingApproval ?? [])
                    {
                        var resolved = await TryAsync(() => turn.ResolveApproval(new ApprovalResolveRequest
                        {
                            SessionId = sid, FunctionCallId = parked.FunctionCallId, Decision = ApprovalDecisions.Allow,
                        }));
                        if (resolved?.Ok == true)
                        {
                            Interlocked.Increment(ref _approvals);
                        }
                    }
                }
                if (steers && !steerAcked && view.State == TurnStates.AssistantStreaming)
                {
                    steerAcked = await TryAsync(async () => await Grains.GetGrain<ISessionGrain>(sid).PushInbox(InboxNames.Steering, AgentMessage.User(steerText, 2)) > 0);
                    if (steerAcked)
                    {
                        Interlocked.Increment(ref _steers);
                    }
                }
            }
            await Task.Delay(300 + Random.Shared.Next(200));
        }

        await CheckAsync(sid, file, final, track, steerAcked ? steerText : null);
    }

    /// <summary>run::start, retried until the grain answers; a retry that finds the run already there counts as started.</summary>
    private async Task<bool> StartAsync(ITurnGrain turn, string sid, string model)
    {
        while (!PastGrace)
        {
            try
            {
                // One message id per turn: a start repeated after its answer was lost is answered already_started.
                var result = await turn.Start(Runs.Start(sid, model, text: "go", messageId: $"{sid}-go"));
                if (result.Started || result.Reason is RunStartResult.SessionBusy or RunStartResult.AlreadyStarted)
                {
                    return true;
                }
                Problem($"{sid}: run::start refused: {result.Reason}");
                Interlocked.Increment(ref _lost);
                return false;
            }
            catch (Exception)
            {
                Interlocked.Increment(ref _retries);
                if (await TryAsync(turn.GetState) is not null)
                {
                    return true;  // the first attempt got through before its answer was lost
                }
                await Task.Delay(500);
            }
        }
        return false;
    }

    private async Task CheckAsync(string sid, string file, string final, TurnTrack track, string? steerText)
    {
        // The subscriber hands on the stopped event last; give it time to arrive (renewals refill from storage).
        var wait = DateTime.UtcNow.AddSeconds(60);
        while (track.StoppedSeq == 0 && DateTime.UtcNow < wait)
        {
            await Task.Delay(200);
        }
        Merge(track);
        var ok = true;
        if (final != TurnStates.Stopped)
        {
            ok = false;
            var error = (await TryAsync(Grains.GetGrain<ITurnGrain>(sid).GetState))?.Error;
            Problem($"{sid}: ended {final}: {error?.Message}");
        }
        if (track.StoppedSeq == 0)
        {
            Interlocked.Increment(ref _eventsMissing);
            Problem($"{sid}: the subscriber never got the stopped event ({track.Frames} frames)");
        }
        else if (track.MissingSeqs() is > 0 and var missing)
        {
            Interlocked.Add(ref _eventsMissing, missing);
            Problem($"{sid}: {missing} of seqs 1..{track.StoppedSeq} never handed on");
        }

        var session = Grains.GetGrain<ISessionGrain>(sid);
        var transcript = await RetryAsync(session.Messages);
        if (transcript is null)
        {
            ok = false;
            Problem($"{sid}: transcript unreadable until the end of the grace period");
        }
        else if (final == TurnStates.Stopped)
        {
            var messages = transcript.Messages;
            if (!messages.Any(m => m.Role == Roles.FunctionResult && m.FunctionCallId == "c1") || messages[^1].Role != Roles.Assistant || messages[^1].Text != "done")
            {
                ok = false;
                Problem($"{sid}: transcript {string.Join(",", messages.Select(m => m.Role))} lacks the tool result or the final answer");
            }
            if (steerText is not null && !messages.Any(m => m.Role == Roles.User && m.Text == steerText))
            {
                var queued = await RetryAsync(() => session.PeekInbox(InboxNames.Steering));
                if (queued?.Any(m => m.Text == steerText) == true)
                {
                    Interlocked.Increment(ref _steersLate);
                }
                else
                {
                    Interlocked.Increment(ref _steersLost);
                    Problem($"{sid}: acknowledged steering message neither in the transcript nor queued");
                }
            }
        }
        var path = Path.Combine(cluster.DemoDirectory, file);
        var lines = File.Exists(path) ? File.ReadAllLines(path).Count(l => l == "c1") : 0;
        if (lines > 1)
        {
            Interlocked.Add(ref _duplicated, lines - 1);
            Problem($"{sid}: tool call c1 ran {lines} times ({file}, checked at {_clock.Elapsed.TotalSeconds:F0} s); silo lines: {SiloLines(sid)}");
        }
        else if (lines == 0 && final == TurnStates.Stopped)
        {
            var result = transcript?.Messages.FirstOrDefault(m => m.Role == Roles.FunctionResult && m.FunctionCallId == "c1");
            var detail = $"{sid}: tool call c1 did not run ({file}); its result: {result?.Text} {result?.Details}; silo lines: {SiloLines(sid)}";
            // The two answers the harness gives on purpose when a fault hides a call's fate: not lost, but counted.
            if (result?.IsError == true && Reason(result, "error") == "interrupted")
            {
                Interlocked.Increment(ref _interrupted);
                Problem("interrupted: " + detail);
            }
            else if (result?.IsError == true && Reason(result, "denied_by") == "gate_unavailable")
            {
                Interlocked.Increment(ref _gateUnavailable);
                Problem("fail-closed: " + detail);
            }
            else
            {
                ok = false;
                Interlocked.Increment(ref _missingTools);
                Problem("missing: " + detail);
            }
        }

        if (ok)
        {
            Interlocked.Increment(ref _completed);
        }
        else
        {
            Interlocked.Increment(ref _lost);
        }
    }

    /// <summary>What the silos logged about one session (for a problem's details).</summary>
    private string SiloLines(string sid) =>
        string.Join(" | ", cluster.SiloOutput.Split('\n').Where(l => l.Contains(sid, StringComparison.Ordinal)).Take(12).Select(l => l.Trim()));

    private static string? Reason(AgentMessage result, string property) =>
        result.Details is { ValueKind: JsonValueKind.Object } details && details.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private void Merge(TurnTrack track)
    {
        Interlocked.Add(ref _eventsSeen, track.Frames);
        lock (_pauseGate)
        {
            if (track.LongestPause > _longestPause)
            {
                _longestPause = track.LongestPause;
            }
        }
    }

    /// <summary>One attempt; a failure (silo down, PostgreSQL away, timeout) is counted and gives default.</summary>
    private async Task<T?> TryAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _retries);
            return default;
        }
    }

    /// <summary>Retried every 500 ms until it succeeds or the grace period is over (then null).</summary>
    private async Task<T?> RetryAsync<T>(Func<Task<T>> call) where T : class
    {
        while (!PastGrace)
        {
            try
            {
                return await call();
            }
            catch (Exception)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(500);
            }
        }
        return null;
    }

    private void Problem(string text)
    {
        if (_problems.Count < 50)
        {
            _problems.Enqueue(text);
        }
    }
}
