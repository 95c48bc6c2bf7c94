using Npgsql;

namespace Harness.Benchmarks;

/// <summary>
/// (a, baseline) Raw PostgreSQL single-row upserts on the same database: one row per writer, the same number of
/// concurrent writers as FSM sessions, a payload the size of a stored turn row, autocommit, Npgsql with a pool.
/// </summary>
public sealed class PostgresUpsertBenchmark(BenchmarkOptions options, TextWriter log)
{
    private const string Table = "harness_bench_upsert";

    public async Task<double> RunAsync(int payloadBytes)
    {
        var writers = options.Concurrency;
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString) { ApplicationName = "harness-bench-upsert", MaxPoolSize = writers + 2 };
        await using var data = NpgsqlDataSource.Create(builder.ConnectionString);
        await Execute(data, $"create table if not exists {Table} (id integer primary key, version integer not null, payload bytea not null, modifiedon timestamptz not null default now())");
        await Execute(data, $"truncate {Table}");
        var payload = new byte[Math.Max(payloadBytes, 64)];
        Random.Shared.NextBytes(payload);
        var sql = $"insert into {Table} (id, version, payload) values ($1, 1, $2) " +
                  $"on conflict (id) do update set version = {Table}.version + 1, payload = excluded.payload, modifiedon = now()";

        var clock = Stopwatch.StartNew();
        var windowStart = options.WarmUp;
        var windowEnd = options.WarmUp + options.Window;
        long upserts = 0;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, writers).Select(id => Task.Run(async () =>
            {
                while (clock.Elapsed < windowEnd)
                {
                    await using (var command = data.CreateCommand(sql))
                    {
                        command.Parameters.Add(new NpgsqlParameter { Value = id });
                        command.Parameters.Add(new NpgsqlParameter { Value = payload });
                        await command.ExecuteNonQueryAsync();
                    }
                    var at = clock.Elapsed;
                    if (at >= windowStart && at < windowEnd)
                    {
                        Interlocked.Increment(ref upserts);
                    }
                }
            })));
        }
        finally
        {
            await Execute(data, $"drop table if exists {Table}");
        }
        var tps = upserts / options.Window.TotalSeconds;
        log.WriteLine($"  raw upsert: {tps:F0} tps ({writers} writers, {payload.Length} B payload)");
        return tps;
    }

    private static async Task Execute(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
