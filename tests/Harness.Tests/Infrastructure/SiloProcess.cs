using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harness.Tests.Infrastructure;

/// <summary>
/// The real silo host (<c>Harness.Silo.dll</c>) as a child process on PostgreSQL, so a test can kill it (or let a
/// fault point crash it) exactly like <c>kill -9</c> and start it again.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private readonly int _httpPort;

    private SiloProcess(Process process, int httpPort)
    {
        _process = process;
        _httpPort = httpPort;
    }

    public string Output { get { lock (_output) { return _output.ToString(); } } }

    public bool HasExited => _process.HasExited;

    /// <summary>Process id (what <c>kill</c> takes; the iii bridge also reports it to the engine as <c>pid</c>).</summary>
    public int Pid => _process.Id;

    public int ExitCode => _process.ExitCode;

    public static SiloProcess Start(SiloSettings settings, IReadOnlyDictionary<string, string>? extra = null)
    {
        var info = new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, "Harness.Silo.dll"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings.Environment())
        {
            info.Environment[key] = value;
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var silo = new SiloProcess(process, settings.HttpPort);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits until <c>/healthz</c> answers; throws with the silo's output if it exits or the time runs out.</summary>
    public Task WaitHealthyAsync(TimeSpan timeout) => WaitHealthyAsync(timeout, $"http://127.0.0.1:{_httpPort}");

    /// <summary>As above, at <paramref name="baseUrl"/> (a silo whose <c>Urls</c> is not the loopback default).</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout, string baseUrl)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"silo exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync($"{baseUrl}/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"silo never became healthy:\n{Output}");
            }
            await Task.Delay(250);
        }
    }

    /// <summary>SIGKILL: no graceful shutdown, no membership update, no final writes.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Configuration handed to a <see cref="SiloProcess"/> through environment variables.</summary>
public sealed record SiloSettings(string ClusterId, string ServiceId, string ConnectionString, TestWorkspace Workspace, string DemoDirectory)
{
    public int SiloPort { get; init; } = SiloProcess.FreePort();

    public int GatewayPort { get; init; } = SiloProcess.FreePort();

    public int HttpPort { get; init; } = SiloProcess.FreePort();

    public IEnumerable<KeyValuePair<string, string>> Environment() => new Dictionary<string, string>
    {
        ["ConnectionStrings__harness"] = ConnectionString,
        ["Harness__Silo__ClusterId"] = ClusterId,
        ["Harness__Silo__ServiceId"] = ServiceId,
        ["Harness__Silo__SiloPort"] = SiloPort.ToString(),
        ["Harness__Silo__GatewayPort"] = GatewayPort.ToString(),
        ["Harness__Silo__DemoDirectory"] = DemoDirectory,
        ["Harness__Turn__WakeReminderPeriod"] = "00:00:02",
        ["Harness__Providers__Scripted__Directory"] = Workspace.ScriptDirectory,
        ["Harness__Permissions__Path"] = Workspace.PermissionsPath,
        ["Urls"] = $"http://127.0.0.1:{HttpPort}",
        ["DOTNET_gcServer"] = "0",
        ["Harness__Models__RefreshOnStartup"] = "false",
        ["Harness__Telemetry__Console"] = "false",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Harness"] = "Information",
    };
}
