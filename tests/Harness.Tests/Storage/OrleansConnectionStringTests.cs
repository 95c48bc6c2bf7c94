using Harness.Silo.Hosting;
using Npgsql;

namespace Harness.Tests.Storage;

/// <summary>The silo turns off Npgsql's per-open connection reset for Orleans' providers and keeps the rest as given.</summary>
public sealed class OrleansConnectionStringTests
{
    [Fact]
    public void The_silo_adds_no_reset_on_close_and_keeps_every_other_setting()
    {
        var tuned = new NpgsqlConnectionStringBuilder(OrleansConnectionString.Tune("Host=db;Port=6543;Database=h;Username=u;Password=p;Maximum Pool Size=7;")!);

        Assert.True(tuned.NoResetOnClose);
        Assert.Equal(("db", 6543, "h", "u", "p", 7), (tuned.Host, tuned.Port, tuned.Database, tuned.Username, tuned.Password, tuned.MaxPoolSize));
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false")]
    [InlineData("Host=db;noresetonclose=false")]
    public void A_reset_setting_the_user_chose_is_kept(string connectionString)
    {
        Assert.Equal(connectionString, OrleansConnectionString.Tune(connectionString));
    }

    [Fact]
    public async Task Orleans_queries_on_the_tuned_connection_string_send_no_discard_all()
    {
        await using var data = NpgsqlDataSource.Create(OrleansConnectionString.Tune(PostgresDatabase.ConnectionString)!);
        for (var i = 0; i < 3; i++)
        {
            await using var connection = await data.OpenConnectionAsync();
            await using var setting = new NpgsqlCommand("set application_name = 'reset-probe'", connection);
            await setting.ExecuteNonQueryAsync();
        }
        await using var again = await data.OpenConnectionAsync();
        await using var read = new NpgsqlCommand("show application_name", again);
        // A reset (DISCARD ALL) on return to the pool would have put the session setting back.
        Assert.Equal("reset-probe", await read.ExecuteScalarAsync());
    }
}
