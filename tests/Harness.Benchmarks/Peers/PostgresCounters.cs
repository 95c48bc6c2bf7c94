using Npgsql;

namespace Harness.Benchmarks.Peers;

/// <summary>One reading of the counters a peer round is measured with.</summary>
/// <param name="Transactions">pg_stat_database xact_commit + xact_rollback of the system's own database. Backends
/// report these with a delay (up to ~10 s after they go idle), so only readings taken after a quiet settle period
/// are compared.</param>
/// <param name="NextXid">The server's next transaction id (pg_current_snapshot's xmax). It moves only when a
/// transaction is assigned an id, i.e. when it writes, and moves at once; only one system runs at a time, so its
/// delta is that system's write transactions (plus subtransactions that wrote, which none of these use).</param>
/// <param name="TupleWrites">pg_stat_database tup_inserted + tup_updated + tup_deleted (delayed like Transactions).</param>
public sealed record PostgresReading(DateTime At, long Transactions, long NextXid, long TupleWrites, double PostgresCpuMs, double ServerCpuMs);

/// <summary>
/// The benchmark's own admin connection: creates one database per system on the shared server and reads the
/// counters. Uses the PostgreSQL superuser of <c>deploy/postgresql/setup-local.sh</c> (trust auth on loopback);
/// <c>HARNESS_PG_ADMIN</c> overrides the connection string.
/// </summary>
public sealed class PostgresCounters : IAsyncDisposable
{
    private readonly NpgsqlDataSource _admin;
    private readonly NpgsqlConnectionStringBuilder _user;

    private PostgresCounters(NpgsqlDataSource admin, NpgsqlConnectionStringBuilder user, int postmasterPid, string version)
    {
        _admin = admin;
        _user = user;
        PostmasterPid = postmasterPid;
        ServerVersion = version;
    }

    public int PostmasterPid { get; }

    public string ServerVersion { get; }

    public static async Task<PostgresCounters> ConnectAsync(string userConnectionString)
    {
        var user = new NpgsqlConnectionStringBuilder(userConnectionString);
        var adminText = Environment.GetEnvironmentVariable("HARNESS_PG_ADMIN") is { Length: > 0 } given
            ? given
            : new NpgsqlConnectionStringBuilder(userConnectionString) { Username = "postgres", Password = null, Database = "postgres" }.ConnectionString;
        var admin = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(adminText) { ApplicationName = "harness-bench-peers", MaxPoolSize = 2 }.ConnectionString);
        await using var command = admin.CreateCommand("select pg_backend_pid(), current_setting('server_version')");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var backend = reader.GetInt32(0);
        var version = reader.GetString(1);
        var postmaster = ProcessCpu.ParentOf(backend)
            ?? throw new InvalidOperationException("PostgreSQL must run on this machine: its CPU time is read from /proc");
        return new PostgresCounters(admin, user, postmaster, version);
    }

    /// <summary>Drops and re-creates <paramref name="database"/> owned by the benchmark user; returns its connection string.</summary>
    public async Task<string> FreshDatabaseAsync(string database)
    {
        await using (var drop = _admin.CreateCommand($"drop database if exists \"{database}\" with (force)"))
        {
            await drop.ExecuteNonQueryAsync();
        }
        await using (var create = _admin.CreateCommand($"create database \"{database}\" owner \"{_user.Username}\""))
        {
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(_user.ConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>The same database as a libpq URL (for the Node peers).</summary>
    public string Url(string database) =>
        $"postgres://{Uri.EscapeDataString(_user.Username!)}:{Uri.EscapeDataString(_user.Password ?? "")}@{_user.Host}:{_user.Port}/{database}";

    public async Task<string> SettingAsync(string name)
    {
        await using var command = _admin.CreateCommand($"select current_setting('{name}')");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Switches fsync and synchronous_commit (both reloadable without a restart).</summary>
    public async Task SetDurableCommitsAsync(bool on)
    {
        var value = on ? "on" : "off";
        foreach (var setting in new[] { "fsync", "synchronous_commit" })
        {
            await using var alter = _admin.CreateCommand($"alter system set {setting} = {value}");
            await alter.ExecuteNonQueryAsync();
        }
        await using var reload = _admin.CreateCommand("select pg_reload_conf()");
        await reload.ExecuteNonQueryAsync();
        await Task.Delay(500);
    }

    public async Task<PostgresReading> ReadAsync(string database, IReadOnlyList<int> serverPids)
    {
        await using var command = _admin.CreateCommand("""
            select coalesce(sum(xact_commit + xact_rollback), 0)::bigint,
                   coalesce(sum(tup_inserted + tup_updated + tup_deleted), 0)::bigint,
                   pg_snapshot_xmax(pg_current_snapshot())::text::bigint
            from pg_stat_database where datname = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new PostgresReading(DateTime.UtcNow, reader.GetInt64(0), reader.GetInt64(2), reader.GetInt64(1),
            ProcessCpu.PostgresMilliseconds(PostmasterPid), ProcessCpu.Milliseconds(serverPids));
    }

    public ValueTask DisposeAsync() => _admin.DisposeAsync();
}
