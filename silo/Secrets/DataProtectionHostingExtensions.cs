using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;

namespace Harness.Silo.Secrets;

/// <summary>
/// ASP.NET Core Data Protection for secrets at rest (provider API keys): one application name for all silos, and with
/// PostgreSQL the key ring in the database (<see cref="PostgresXmlRepository"/>). Without PostgreSQL (memory mode,
/// nothing survives the process anyway) the default ring is used.
/// </summary>
public static class DataProtectionHostingExtensions
{
    /// <summary>Part of every ciphertext's key derivation: all silos must share it, and changing it orphans stored secrets.</summary>
    public const string ApplicationName = "harness";

    public static WebApplicationBuilder AddHarnessDataProtection(this WebApplicationBuilder builder, string? connectionString, string serviceId)
    {
        builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return builder;
        }
        var dataSource = NpgsqlDataSource.Create(connectionString);
        builder.Services.Configure<KeyManagementOptions>(o => o.XmlRepository = new PostgresXmlRepository(dataSource, serviceId));
        builder.Services.AddHostedService(sp => new KeyRingInitializer(
            dataSource, serviceId, sp.GetRequiredService<IDataProtectionProvider>(), sp.GetRequiredService<ILogger<KeyRingInitializer>>()));
        return builder;
    }
}
