using System.Data.Common;

namespace Harness.Silo.Hosting;

/// <summary>
/// The connection string the silo gives Orleans' ADO.NET providers: the user's, plus <c>No Reset On Close=true</c>.
/// The providers open a pooled connection for every query and set no session state, so Npgsql's reset on each
/// return to the pool (<c>DISCARD ALL</c>, one extra round trip and transaction per query — about half of all
/// PostgreSQL transactions of a turn) buys nothing. A value the user set for that key is kept.
/// </summary>
public static class OrleansConnectionString
{
    private const string NoResetOnClose = "No Reset On Close";

    public static string? Tune(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }
        var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (parsed.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("NoResetOnClose", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }
        return $"{connectionString.TrimEnd().TrimEnd(';')};{NoResetOnClose}=true";
    }
}
