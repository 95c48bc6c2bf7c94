using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using Xunit;

namespace Harness.Tests.Storage;

/// <summary>
/// Proves deploy/postgresql/orleans-schema.sql against the real Orleans ADO.NET providers
/// (clustering, grain storage, reminders) on the PostgreSQL from <see cref="PostgresDatabase"/>.
/// </summary>
public sealed class OrleansSchemaTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Grain_state_survives_deactivation()
    {
        await using var cluster = await PostgresTestCluster.StartAsync(silos: 1, Ct);
        var grain = cluster.Client.GetGrain<ISchemaProbeGrain>("survivor");

        await grain.Add("plan");
        await grain.Add("act");
        await cluster.DeactivateAsync(grain);

        Assert.Equal(["plan", "act"], await grain.GetItems());
        Assert.Equal(2, await StoredVersion(cluster));
    }

    [Fact]
    public async Task Cleared_state_reads_back_empty_and_can_be_written_again()
    {
        await using var cluster = await PostgresTestCluster.StartAsync(silos: 1, Ct);
        var grain = cluster.Client.GetGrain<ISchemaProbeGrain>("cleared");

        await grain.Add("old");
        await grain.Clear();
        await cluster.DeactivateAsync(grain);
        Assert.Empty(await grain.GetItems());

        Assert.Equal(1, await grain.Add("new"));
        Assert.Equal(3, await StoredVersion(cluster));
    }

    [Fact]
    public async Task Write_with_stale_version_conflicts()
    {
        await using var cluster = await PostgresTestCluster.StartAsync(silos: 1, Ct);
        var grain = cluster.Client.GetGrain<ISchemaProbeGrain>("stale");
        await grain.Add("first");

        // Another writer moves the row on behind the activation's back.
        var bumped = await PostgresDatabase.ScalarAsync<int>(
            "WITH b AS (UPDATE orleansstorage SET version = version + 1 WHERE serviceid = $1 RETURNING 1) " +
            "SELECT count(*)::int FROM b",
            Ct, cluster.Options.ServiceId);
        Assert.Equal(1, bumped);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Add("second"));
        Assert.Equal(2, await StoredVersion(cluster));
        Assert.Equal(["first"], await grain.GetItems());
    }

    [Fact]
    public async Task First_write_that_loses_a_race_gets_no_version()
    {
        var serviceId = $"schema-race-{Guid.NewGuid():N}";
        const string write = "SELECT orleans_storage_write(1, 0, 7, 2, 'schema-probe', NULL, $1, NULL, '\\x7b7d'::bytea)";

        Assert.Equal(1, await PostgresDatabase.ScalarAsync<int?>(write, Ct, serviceId));
        Assert.Null(await PostgresDatabase.ScalarAsync<int?>(write, Ct, serviceId));
    }

    [Fact]
    public async Task Reminder_registers_fires_and_unregisters()
    {
        await using var cluster = await PostgresTestCluster.StartAsync(silos: 1, Ct);
        var grain = cluster.Client.GetGrain<ISchemaProbeGrain>("ticker");

        await grain.StartReminder("tick", TimeSpan.FromSeconds(1));
        Assert.Equal(1L, await ReminderRows(cluster));

        Assert.True(
            await WaitUntil(async () => await grain.GetTicks("tick") >= 2),
            "reminder did not fire twice within the wait limit");

        await grain.StopReminder("tick");
        Assert.Equal(0L, await ReminderRows(cluster));
    }

    [Fact]
    public async Task Silos_are_active_in_membership_table()
    {
        await using var cluster = await PostgresTestCluster.StartAsync(silos: 2, Ct);
        const string activeSilos =
            "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = $1 AND status = 3";

        Assert.True(
            await WaitUntil(async () =>
                await PostgresDatabase.ScalarAsync<long>(activeSilos, Ct, cluster.Options.ClusterId) == 2),
            "expected 2 silos with status 3 (Active)");
        Assert.True(await PostgresDatabase.ScalarAsync<int>(
            "SELECT version FROM orleansmembershipversiontable WHERE deploymentid = $1",
            Ct, cluster.Options.ClusterId) > 0);
    }

    [Fact]
    public async Task Dead_silo_rows_are_cleaned_up_and_cluster_rows_deleted()
    {
        string clusterId;
        await using (var cluster = await PostgresTestCluster.StartAsync(silos: 2, Ct))
        {
            clusterId = cluster.Options.ClusterId;
            await cluster.StopSiloAsync(cluster.Silos[1], Ct);
            var table = cluster.Silos[0].SiloHost.Services.GetRequiredService<IMembershipTable>();

            await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1), Ct);

            Assert.Equal(1L, await PostgresDatabase.ScalarAsync<long>(
                "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = $1 AND status = 3", Ct, clusterId));
            Assert.Equal(1L, await MembershipRows(clusterId));
        }

        // Orleans never deletes a cluster's rows itself; run the stored query the way the provider binds it.
        var deleteQuery = await PostgresDatabase.ScalarAsync<string>(
            "SELECT querytext FROM orleansquery WHERE querykey = 'DeleteMembershipTableEntriesKey'", Ct);
        await using (var command = PostgresDatabase.DataSource.CreateCommand(deleteQuery))
        {
            command.Parameters.AddWithValue("DeploymentId", clusterId);
            await command.ExecuteNonQueryAsync(Ct);
        }

        Assert.Equal(0L, await MembershipRows(clusterId));
        Assert.Equal(0L, await PostgresDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM orleansmembershipversiontable WHERE deploymentid = $1", Ct, clusterId));
    }

    [Fact]
    public async Task Schema_can_be_applied_again()
    {
        await PostgresDatabase.ApplySchemaAsync(Ct);
        await PostgresDatabase.ApplySchemaAsync(Ct);

        var keys = await PostgresDatabase.ScalarAsync<string[]>(
            "SELECT array_agg(querykey::text ORDER BY querykey) FROM orleansquery", Ct);
        Assert.Superset(
            new HashSet<string>
            {
                "CleanupDefunctSiloEntriesKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey",
                "DeleteReminderRowKey", "DeleteReminderRowsKey", "DeleteStorageKey", "GatewaysQueryKey",
                "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey",
                "ReadFromStorageKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey",
                "ReadReminderRowsKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey", "UpsertReminderRowKey",
                "WriteToStorageKey",
            },
            new HashSet<string>(keys ?? []));
    }

    private static Task<int> StoredVersion(InProcessTestCluster cluster) =>
        PostgresDatabase.ScalarAsync<int>(
            "SELECT version FROM orleansstorage WHERE serviceid = $1", Ct, cluster.Options.ServiceId);

    private static Task<long> MembershipRows(string clusterId) =>
        PostgresDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = $1", Ct, clusterId);

    private static Task<long> ReminderRows(InProcessTestCluster cluster) =>
        PostgresDatabase.ScalarAsync<long>(
            "SELECT count(*) FROM orleansreminderstable WHERE serviceid = $1", Ct, cluster.Options.ServiceId);

    private static async Task<bool> WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), Ct);
        }

        return false;
    }
}
