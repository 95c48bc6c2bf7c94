namespace Harness.Silo.Secrets;

/// <summary>
/// Bound from <c>Harness:DataProtection</c>. Without a certificate the key ring rows in PostgreSQL hold the Data
/// Protection keys unencrypted (anyone who can read both that table and the grain storage can decrypt the secrets);
/// with one, each key is encrypted to the certificate, which then lives only in the silos' secret store.
/// </summary>
public sealed class HarnessDataProtectionOptions
{
    public const string Section = "Harness:DataProtection";

    /// <summary>PKCS#12 (.pfx) file whose certificate encrypts the key ring (all silos need the same one). Default none.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of <see cref="CertificatePath"/>. Default none.</summary>
    public string? CertificatePassword { get; set; }
}
