using Npgsql;

namespace Harness.Tests.Storage;

/// <summary>
/// The PostgreSQL database the storage tests run against, taken from <c>HARNESS_PG</c>.
/// A missing variable fails the test on purpose: CI must not pass by skipping the database tests.
/// </summary>
public static class PostgresDatabase
{
    public const string EnvironmentVariable = "HARNESS_PG";

    private static readonly Lazy<NpgsqlDataSource> SharedDataSource = new(() => NpgsqlDataSource.Create(ConnectionString));

    /// <summary>Connection string of a database that has deploy/postgresql/orleans-schema.sql applied.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. These tests need PostgreSQL with deploy/postgresql/orleans-schema.sql " +
                "applied. Run 'deploy/postgresql/setup-local.sh && source .pgdata/pg.env' first, or use ./.ci/test, " +
                "which does both.");

    /// <summary>Shared data source for test assertions made directly in SQL.</summary>
    public static NpgsqlDataSource DataSource => SharedDataSource.Value;

    /// <summary>The schema script, copied next to the test assembly by the project file.</summary>
    public static string SchemaScriptPath => Path.Combine(AppContext.BaseDirectory, "Storage", "orleans-schema.sql");

    public static async Task ApplySchemaAsync(CancellationToken cancellationToken)
    {
        var script = await File.ReadAllTextAsync(SchemaScriptPath, cancellationToken);
        await using var command = DataSource.CreateCommand(script);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is null or DBNull ? default : (T)result;
    }
}
