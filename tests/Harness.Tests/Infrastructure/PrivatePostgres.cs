using System.Diagnostics;

namespace Harness.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of the test's own (<c>deploy/postgresql/setup-local.sh</c> on a fresh state directory, with the
/// schema applied), so the test can restart or stop it without disturbing the tests that share <c>HARNESS_PG</c>.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _state;
    private readonly Dictionary<string, string> _env;

    private PrivatePostgres(string state, Dictionary<string, string> env)
    {
        _state = state;
        _env = env;
    }

    public string ConnectionString => _env["HARNESS_PG"];

    public static async Task<PrivatePostgres> StartAsync()
    {
        var state = Path.Combine(Path.GetTempPath(), $"harness-pg-{Guid.NewGuid():N}"[..24]);
        // A port of its own range: while this server is stopped, another setup-local.sh (a parallel test) must not
        // take its port, or it could not start again.
        var firstPort = (56000 + Random.Shared.Next(0, 8000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (code, output) = await RunAsync("bash", [Script("setup-local.sh"), state], new() { ["HARNESS_PG_FIRST_PORT"] = firstPort });
        if (code != 0)
        {
            throw new InvalidOperationException($"setup-local.sh failed ({code}):\n{output}");
        }
        var env = File.ReadAllLines(Path.Combine(state, "pg.env"))
            .Select(l => l.StartsWith("export ", StringComparison.Ordinal) ? l[7..] : l)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1].Trim('"', '\''));
        var pg = new PrivatePostgres(state, env);
        // These tests kill the server (-m immediate): a commit must be in the WAL before it is acknowledged, or the
        // crash takes back writes the harness was told were stored (setup-local.sh turns it off for speed). fsync may
        // stay off: the machine does not crash, only the server process.
        await pg.PsqlAsync("ALTER SYSTEM SET synchronous_commit = on");
        await pg.PsqlAsync("SELECT pg_reload_conf()");
        return pg;
    }

    private async Task PsqlAsync(string sql)
    {
        var (code, output) = await RunAsync(Path.Combine(_env["HARNESS_PG_BIN"], "psql"),
            ["-h", "127.0.0.1", "-p", _env["HARNESS_PG_PORT"], "-U", "postgres", "-d", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]);
        if (code != 0)
        {
            throw new InvalidOperationException($"psql '{sql}' failed ({code}):\n{output}");
        }
    }

    /// <summary><c>pg_ctl restart -m immediate</c>: every connection is cut, the server recovers from its WAL.</summary>
    public Task RestartImmediateAsync() => PgCtlAsync("restart", "-m", "immediate");

    public Task StopImmediateAsync() => PgCtlAsync("stop", "-m", "immediate");

    public Task StartAgainAsync() => PgCtlAsync("start");

    private async Task PgCtlAsync(params string[] args)
    {
        var pgCtl = Path.Combine(_env["HARNESS_PG_BIN"], "pg_ctl");
        string[] command = [pgCtl, "-D", _env["HARNESS_PG_DATA"], "-w", "-t", "60", "-l", Path.Combine(_env["HARNESS_PG_DATA"], "server.log"), .. args];
        var (code, output) = Environment.UserName == "root"
            ? await RunAsync("runuser", ["-u", "postgres", "--", .. command])
            : await RunAsync(command[0], command[1..]);
        if (code != 0)
        {
            var log = Path.Combine(_env["HARNESS_PG_DATA"], "server.log");
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "";
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', args)} failed ({code}):\n{output}\n{tail}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("bash", [Script("stop-local.sh"), _state]);
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Script(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "deploy", "postgresql", name);
            if (File.Exists(path))
            {
                return path;
            }
        }
        throw new FileNotFoundException($"deploy/postgresql/{name} not found above {AppContext.BaseDirectory}");
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
