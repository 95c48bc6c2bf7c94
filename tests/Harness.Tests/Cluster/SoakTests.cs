using Harness.Tests.Soak;

namespace Harness.Tests.Cluster;

/// <summary>
/// The short soak: 9 sessions running tool turns (a third parked for approval, a third steered mid-turn) on 3 silo
/// processes with the bridge on and a PostgreSQL server of the test's own, while a random silo is killed with -9 and
/// restarted and PostgreSQL is restarted with <c>-m immediate</c>. Only counts are asserted; the long version with
/// every fault is the benchmark command <c>--soak</c>.
/// </summary>
public sealed class SoakTests
{
    [Fact]
    public async Task Turns_under_a_silo_kill_and_a_PostgreSQL_restart_are_neither_lost_duplicated_stuck_nor_missing_events()
    {
        var log = TestContext.Current.TestOutputHelper;
        var options = new SoakOptions
        {
            Duration = TimeSpan.FromSeconds(30),
            Sessions = 9,
            Faults = [SoakFault.KillSilo, SoakFault.PostgresRestart],
            Grace = TimeSpan.FromSeconds(150),
            Log = line => log?.WriteLine(line),
        };

        var result = await SoakDriver.RunAsync(options);

        var table = SoakTable.ToMarkdown(options, result);
        log?.WriteLine(table);
        Assert.Equal(2, result.FaultLog.Count(l => l.Contains("back after", StringComparison.Ordinal)));
        Assert.True(result.TurnsCompleted >= options.Sessions, table);
        Assert.True(result.Approvals > 0 && result.SteersPushed > 0, table);
        Assert.Equal(0, result.TurnsLost);
        Assert.Equal(0, result.DuplicatedToolExecutions);
        Assert.Equal(0, result.MissingToolExecutions);
        Assert.Equal(0, result.TurnsStuck);
        Assert.Equal(0, result.EventsMissing);
        Assert.Equal(0, result.SteersLost);
        Assert.Equal(result.TurnsStarted, result.TurnsCompleted);
    }
}
