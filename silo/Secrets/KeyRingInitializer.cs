using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace Harness.Silo.Secrets;

/// <summary>
/// Loads (and on a fresh database creates) the Data Protection key before the silo serves, holding a PostgreSQL
/// advisory lock per ServiceId: silos starting together on an empty ring would otherwise each create a key and
/// encrypt with one the others have not read yet. Later keys are made days ahead of use, which the ring's own
/// refresh covers.
/// </summary>
public sealed partial class KeyRingInitializer(NpgsqlDataSource dataSource, string serviceId, IDataProtectionProvider provider, ILogger<KeyRingInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('harness-dataprotection:' || $1))", connection))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = serviceId });
            lockCommand.CommandTimeout = 60;
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            // Any protect call reads the ring and creates the first key if there is none.
            provider.CreateProtector("Harness.KeyRing.Startup").Protect([1]);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext('harness-dataprotection:' || $1))", connection);
            unlock.Parameters.Add(new NpgsqlParameter { Value = serviceId });
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
        LogReady(logger, serviceId);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Data Protection key ring of service {ServiceId} loaded from PostgreSQL")]
    private static partial void LogReady(ILogger logger, string serviceId);
}
