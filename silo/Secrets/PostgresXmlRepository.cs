using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Harness.Silo.Secrets;

/// <summary>
/// The Data Protection key ring in PostgreSQL (table <c>harnessdataprotectionkeys</c> of
/// deploy/postgresql/orleans-schema.sql), one ring per ServiceId, so every silo of a deployment decrypts what another
/// encrypted. Rows are only added: Data Protection never deletes keys, it revokes them with a new element.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource, string serviceId) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM harnessdataprotectionkeys WHERE serviceid = $1 ORDER BY createdon, friendlyname");
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = dataSource.CreateCommand(
            "INSERT INTO harnessdataprotectionkeys (serviceid, friendlyname, xml) VALUES ($1, $2, $3) ON CONFLICT (serviceid, friendlyname) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}
