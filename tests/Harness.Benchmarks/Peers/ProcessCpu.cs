namespace Harness.Benchmarks.Peers;

/// <summary>
/// CPU time from /proc (Linux): utime + stime of a process (all its threads). For PostgreSQL: the postmaster and every
/// live child (backends, checkpointer, walwriter, autovacuum, …) plus the postmaster's cutime + cstime, which hold
/// the time of children that already exited and were reaped — so short-lived backends are counted too.
/// </summary>
public static class ProcessCpu
{
    private static readonly double MsPerTick = 1000.0 / ClockTicks();

    public static bool Available => File.Exists("/proc/self/stat");

    /// <summary>CPU ms of one process, or 0 when it is gone.</summary>
    public static double Milliseconds(int pid) => Stat(pid) is { } s ? (s.UTime + s.STime) * MsPerTick : 0;

    /// <summary>Sum over several processes.</summary>
    public static double Milliseconds(IEnumerable<int> pids) => pids.Sum(Milliseconds);

    /// <summary>CPU ms of a PostgreSQL server: postmaster + live children + reaped children.</summary>
    public static double PostgresMilliseconds(int postmasterPid)
    {
        if (Stat(postmasterPid) is not { } master)
        {
            return 0;
        }
        var ticks = master.UTime + master.STime + master.CUTime + master.CSTime;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != postmasterPid && Stat(pid) is { } child && child.PPid == postmasterPid)
            {
                ticks += child.UTime + child.STime;
            }
        }
        return ticks * MsPerTick;
    }

    /// <summary>Parent pid of a process (a PostgreSQL backend's parent is the postmaster).</summary>
    public static int? ParentOf(int pid) => Stat(pid)?.PPid;

    private sealed record ProcStat(int PPid, long UTime, long STime, long CUTime, long CSTime);

    private static ProcStat? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // Fields after the command name "(...)", which may itself hold spaces: state ppid … utime(14) stime cutime cstime.
        var f = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcStat(int.Parse(f[1]), long.Parse(f[11]), long.Parse(f[12]), long.Parse(f[13]), long.Parse(f[14]));
    }

    private static double ClockTicks()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false });
            if (getconf is not null && getconf.WaitForExit(5000) && double.TryParse(getconf.StandardOutput.ReadToEnd().Trim(), out var hz) && hz > 0)
            {
                return hz;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No getconf: Linux has used 100 Hz user ticks for decades.
        }
        return 100;
    }
}
