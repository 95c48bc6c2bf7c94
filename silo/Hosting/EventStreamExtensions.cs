using Harness.Events;
using Orleans.Configuration;
using Orleans.LeaseProviders;

namespace Harness.Silo.Hosting;

/// <summary>
/// The agent-event stream provider (<see cref="AgentEventStreams.Provider"/>), the same for silos and clients:
/// ADO.NET streams on PostgreSQL (durable: events survive a silo kill on their way to subscribers) or memory streams.
/// </summary>
public static class EventStreamExtensions
{
    public static ISiloBuilder AddHarnessEventStreams(this ISiloBuilder silo, string? connectionString, HarnessEventOptions? options = null)
    {
        options ??= new HarnessEventOptions();
        connectionString = OrleansConnectionString.Tune(connectionString);
        if (!options.UsesAdoNet(connectionString))
        {
            return silo.AddMemoryStreams(AgentEventStreams.Provider);
        }
        silo.AddAdoNetStreams(AgentEventStreams.Provider, streams =>
        {
            streams.ConfigureAdoNet(o => o.Configure(a => Apply(a, connectionString!, options)));
            streams.ConfigurePartitioning(options.Queues);
            streams.ConfigurePullingAgent(o => o.Configure(a => a.GetQueueMsgsTimerPeriod = options.PollingPeriod));
            // One reader per queue at a time, also while silos join or leave: a session's events stay in order.
            // A dead silo's leases outlive the redelivery timeout of what it had read, so the next holder reads
            // those events again first, in order.
            streams.UseLeaseBasedQueueBalancer(o => o.Configure(l =>
            {
                l.LeaseRenewPeriod = TimeSpan.FromSeconds(1);
                l.LeaseAcquisitionPeriod = TimeSpan.FromSeconds(1);
                l.LeaseLength = options.RedeliveryTimeout + TimeSpan.FromSeconds(2);
            }));
        });
        silo.Services.AddKeyedSingleton<ILeaseProvider>(AgentEventStreams.Provider,
            (services, _) => ActivatorUtilities.CreateInstance<PostgresLeaseProvider>(services, connectionString!));
        return silo;
    }

    /// <summary>A client that subscribes to (or publishes) agent events needs the silos' provider settings.</summary>
    public static IClientBuilder AddHarnessEventStreams(this IClientBuilder client, string? connectionString, HarnessEventOptions? options = null)
    {
        options ??= new HarnessEventOptions();
        connectionString = OrleansConnectionString.Tune(connectionString);
        if (!options.UsesAdoNet(connectionString))
        {
            return client.AddMemoryStreams(AgentEventStreams.Provider);
        }
        return client.AddAdoNetStreams(AgentEventStreams.Provider, streams =>
        {
            streams.ConfigureAdoNet(o => o.Configure(a => Apply(a, connectionString!, options)));
            streams.ConfigurePartitioning(options.Queues);
        });
    }

    private static void Apply(AdoNetStreamOptions target, string connectionString, HarnessEventOptions options)
    {
        target.Invariant = "Npgsql";
        target.ConnectionString = connectionString;
        target.VisibilityTimeout = options.RedeliveryTimeout;
        target.MaxAttempts = options.MaxAttempts;
        target.ExpiryTimeout = options.ExpiryTimeout;
    }
}
