using System.Reflection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Harness.Tests.Storage;

/// <summary>
/// Starts an <see cref="InProcessTestCluster"/> whose clustering, grain storage and reminders all use the ADO.NET
/// providers on <see cref="PostgresDatabase"/>, with a fresh ClusterId and ServiceId so tests never share rows.
/// </summary>
public static class PostgresTestCluster
{
    public const string StorageName = "probeStore";
    private const string Invariant = "Npgsql";

    public static async Task<InProcessTestCluster> StartAsync(short silos, CancellationToken cancellationToken)
    {
        var connectionString = PostgresDatabase.ConnectionString;
        var id = Guid.NewGuid().ToString("N");
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ClusterId = $"schema-test-{id}";
        builder.Options.ServiceId = $"schema-test-{id}";
        builder.Options.ConfigureFileLogging = false;
        UseDatabaseMembership(builder.Options);

        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseAdoNetClustering(o => { o.Invariant = Invariant; o.ConnectionString = connectionString; });
            silo.AddAdoNetGrainStorage(StorageName, o => { o.Invariant = Invariant; o.ConnectionString = connectionString; });
            silo.UseAdoNetReminderService(o => { o.Invariant = Invariant; o.ConnectionString = connectionString; });
            silo.UseSystemTextJsonGrainStorageSerializer();
            // The default minimum period is one minute; tests need ticks within seconds.
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
        builder.ConfigureClient(client =>
            client.UseAdoNetClustering(o => { o.Invariant = Invariant; o.ConnectionString = connectionString; }));

        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    // The in-process cluster swaps in its own in-memory membership table unless this internal flag is off,
    // and the membership table is exactly what these tests must exercise.
    private static void UseDatabaseMembership(InProcessTestClusterOptions options)
    {
        var flag = typeof(InProcessTestClusterOptions).GetProperty(
            "UseTestClusterMembership", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException(
                "InProcessTestClusterOptions.UseTestClusterMembership not found; check the TestingHost version.");
        flag.SetValue(options, false);
    }
}
