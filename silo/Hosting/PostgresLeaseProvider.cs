using Npgsql;
using Orleans.Configuration;
using Orleans.LeaseProviders;

namespace Harness.Silo.Hosting;

/// <summary>
/// Leases in PostgreSQL (<c>orleanslease</c>, functions <c>orleans_lease_*</c> of deploy/postgresql/orleans-schema.sql)
/// for Orleans' lease-based queue balancer: a stream queue is read by the one silo holding its lease, also while
/// silos join or leave. The database clock decides expiry. A holder that dies keeps its leases until they expire.
/// </summary>
public sealed partial class PostgresLeaseProvider(string connectionString, IOptions<ClusterOptions> cluster, ILogger<PostgresLeaseProvider> logger)
    : ILeaseProvider, IAsyncDisposable
{
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(connectionString);
    private readonly string _serviceId = cluster.Value.ServiceId;

    public async Task<AcquireLeaseResult[]> Acquire(string category, LeaseRequest[] leaseRequests)
    {
        var results = new AcquireLeaseResult[leaseRequests.Length];
        for (var i = 0; i < leaseRequests.Length; i++)
        {
            var request = leaseRequests[i];
            var token = Guid.NewGuid().ToString("N");
            results[i] = await RunAsync(request.ResourceKey, async () =>
            {
                var taken = await ScalarAsync<bool>("SELECT orleans_lease_acquire($1, $2, $3, $4, $5)",
                    category, request.ResourceKey, token, Milliseconds(request.Duration));
                return taken
                    ? new AcquireLeaseResult(new AcquiredLease(request.ResourceKey, request.Duration, token, DateTime.UtcNow), ResponseCode.OK, null)
                    : new AcquireLeaseResult(new AcquiredLease(request.ResourceKey), ResponseCode.LeaseNotAvailable, null);
            });
        }
        return results;
    }

    public async Task<AcquireLeaseResult[]> Renew(string category, AcquiredLease[] acquiredLeases)
    {
        var results = new AcquireLeaseResult[acquiredLeases.Length];
        for (var i = 0; i < acquiredLeases.Length; i++)
        {
            var lease = acquiredLeases[i];
            results[i] = await RunAsync(lease.ResourceKey, async () =>
            {
                var held = await ScalarAsync<bool>("SELECT orleans_lease_renew($1, $2, $3, $4, $5)",
                    category, lease.ResourceKey, lease.Token ?? "", Milliseconds(lease.Duration));
                return held
                    ? new AcquireLeaseResult(new AcquiredLease(lease.ResourceKey, lease.Duration, lease.Token, DateTime.UtcNow), ResponseCode.OK, null)
                    : new AcquireLeaseResult(new AcquiredLease(lease.ResourceKey), ResponseCode.InvalidToken, null);
            });
        }
        return results;
    }

    public async Task Release(string category, AcquiredLease[] acquiredLeases)
    {
        foreach (var lease in acquiredLeases)
        {
            try
            {
                await ScalarAsync<object>("SELECT orleans_lease_release($1, $2, $3, $4)", category, lease.ResourceKey, lease.Token ?? "");
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // It expires on its own; the next holder only waits longer.
                LogReleaseFailed(ex, lease.ResourceKey);
            }
        }
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    private static int Milliseconds(TimeSpan duration) => (int)Math.Ceiling(duration.TotalMilliseconds);

    private async Task<AcquireLeaseResult> RunAsync(string resourceKey, Func<Task<AcquireLeaseResult>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return new AcquireLeaseResult(new AcquiredLease(resourceKey), ResponseCode.TransientFailure, ex);
        }
    }

    private async Task<T?> ScalarAsync<T>(string sql, string category, string resourceKey, string token, int? durationMs = null)
    {
        await using var command = _db.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = category });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = resourceKey });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = token });
        if (durationMs is { } ms)
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ms });
        }
        var result = await command.ExecuteScalarAsync();
        return result is T value ? value : default;
    }

    [LoggerMessage(1, LogLevel.Warning, "Could not release lease {ResourceKey}; it will expire on its own")]
    private partial void LogReleaseFailed(Exception exception, string resourceKey);
}
