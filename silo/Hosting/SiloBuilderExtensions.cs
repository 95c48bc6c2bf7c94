using System.Net;
using Orleans.Configuration;
using Orleans.Storage;

namespace Harness.Silo.Hosting;

/// <summary>The pieces of silo configuration, shared by the host and the test clusters.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Grains' runtime needs: JSON storage format, distributed tracing, the wake-up reminder period.</summary>
    public static ISiloBuilder AddHarnessRuntime(this ISiloBuilder silo, TimeSpan wakeReminderPeriod)
    {
        // Chosen on day one: rows hold clean JSON that does not depend on .NET type names.
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.AddActivityPropagation();
        if (wakeReminderPeriod < TimeSpan.FromMinutes(1))
        {
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = wakeReminderPeriod);
        }
        return silo;
    }

    /// <summary>
    /// PostgreSQL storage and reminders (durable), or memory ones when no connection string is given. Agent events
    /// need nothing of their own: the turn grain stores them in its row (see <c>TurnGrain.Events</c>).
    /// </summary>
    public static ISiloBuilder AddHarnessStorage(this ISiloBuilder silo, string? connectionString)
    {
        connectionString = OrleansConnectionString.Tune(connectionString);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            silo.AddMemoryGrainStorage(HarnessStorage.Name);
            silo.UseInMemoryReminderService();
            return silo;
        }
        silo.AddAdoNetGrainStorage(HarnessStorage.Name, o => { o.Invariant = "Npgsql"; o.ConnectionString = connectionString; });
        silo.UseAdoNetReminderService(o => { o.Invariant = "Npgsql"; o.ConnectionString = connectionString; });
        return silo;
    }

    /// <summary>PostgreSQL membership, or localhost clustering when no connection string is given.</summary>
    public static ISiloBuilder AddHarnessClustering(this ISiloBuilder silo, HarnessSiloOptions options, string? connectionString)
    {
        connectionString = OrleansConnectionString.Tune(connectionString);
        silo.Configure<ClusterOptions>(o => { o.ClusterId = options.ClusterId; o.ServiceId = options.ServiceId; });
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            return silo;
        }
        silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
        silo.UseAdoNetClustering(o => { o.Invariant = "Npgsql"; o.ConnectionString = connectionString; });
        if (options.FastFailover)
        {
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            });
        }
        return silo;
    }
}
