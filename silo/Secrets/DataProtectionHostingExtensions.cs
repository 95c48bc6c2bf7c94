using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Harness.Silo.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;

namespace Harness.Silo.Secrets;

/// <summary>
/// ASP.NET Core Data Protection for secrets at rest (provider API keys): one application name for all silos, and with
/// PostgreSQL the key ring in the database (<see cref="PostgresXmlRepository"/>). Without PostgreSQL (memory mode,
/// nothing survives the process anyway) the default ring is used. With <see cref="HarnessDataProtectionOptions"/>'s
/// certificate the ring itself is stored encrypted.
/// </summary>
public static class DataProtectionHostingExtensions
{
    /// <summary>Part of every ciphertext's key derivation: all silos must share it, and changing it orphans stored secrets.</summary>
    public const string ApplicationName = "harness";

    public static WebApplicationBuilder AddHarnessDataProtection(this WebApplicationBuilder builder, string? connectionString, string serviceId)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        var options = builder.Configuration.GetSection(HarnessDataProtectionOptions.Section).Get<HarnessDataProtectionOptions>() ?? new();
        if (options.CertificatePath is { Length: > 0 } path)
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new SiloConfigurationException([$"{HarnessDataProtectionOptions.Section}:CertificatePath: cannot load '{path}' ({ex.Message})"]);
            }
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
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
