using Npgsql;

namespace Harness.Benchmarks;

/// <summary>Direct SQL against the benchmark database: commit counters, stored turn state, membership rows.</summary>
public sealed class Database(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _data = NpgsqlDataSource.Create(
        new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "harness-bench-probe", MaxPoolSize = 4 }.ConnectionString);

    /// <summary>Committed + rolled-back transactions of this database so far (backends flush these within ~1-10 s).</summary>
    public async Task<long> TransactionsAsync()
    {
        await using var command = _data.CreateCommand("select xact_commit + xact_rollback from pg_stat_database where datname = current_database()");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Average stored row size of the turn grains of one service (what a durable FSM step writes).</summary>
    public async Task<int> AverageTurnRowBytesAsync(string serviceId)
    {
        await using var command = _data.CreateCommand(
            "select coalesce(avg(length(payloadbinary)), 0)::int from orleansstorage where serviceid = $1 and graintypestring = 'turn'");
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        return (int)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The persisted FSM state of a session's turn grain, or null when no row exists.</summary>
    public async Task<string?> StoredTurnStateAsync(string serviceId, string sessionId)
    {
        await using var command = _data.CreateCommand(
            "select convert_from(payloadbinary, 'UTF8')::jsonb -> 'record' ->> 'state' from orleansstorage " +
            "where serviceid = $1 and graintypestring = 'turn' and grainidextensionstring = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>Orleans SiloStatus of a silo's newest membership row (3 = Active, 6 = Dead), or null.</summary>
    public async Task<int?> SiloStatusAsync(string clusterId, int siloPort)
    {
        await using var command = _data.CreateCommand(
            "select status from orleansmembershiptable where deploymentid = $1 and port = $2 order by generation desc limit 1");
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        command.Parameters.Add(new NpgsqlParameter { Value = siloPort });
        return await command.ExecuteScalarAsync() as int?;
    }

    public ValueTask DisposeAsync() => _data.DisposeAsync();
}
