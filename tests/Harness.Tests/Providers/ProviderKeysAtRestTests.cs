using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Harness.Tests.Infrastructure;
using Harness.Tests.Providers.Fakes;
using Harness.Tests.Storage;

namespace Harness.Tests.Providers;

/// <summary>
/// Provider keys set at run time are stored encrypted with Data Protection, the key ring in PostgreSQL: a silo process
/// of the same service started after the first one died decrypts and uses the key, and no stored row holds it.
/// </summary>
public sealed class ProviderKeysAtRestTests
{
    [Fact]
    public async Task A_key_set_through_one_silo_is_used_by_the_next_and_no_storage_row_contains_it()
    {
        var serviceId = await SetThroughOneUseThroughTheNextAsync(_ => []);

        var ring = await KeyRingAsync(serviceId);
        Assert.Single(ring);
        Assert.Contains("<masterKey", ring[0]);   // without a certificate the ring row holds the key material as is
    }

    [Fact]
    public async Task With_a_certificate_the_key_ring_row_is_encrypted_too()
    {
        var serviceId = await SetThroughOneUseThroughTheNextAsync(workspace =>
        {
            var path = Path.Combine(workspace.Root, "keyring.pfx");
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=harness-test-keyring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, "pfx-pass"));
            return new Dictionary<string, string>
            {
                ["Harness__DataProtection__CertificatePath"] = path,
                ["Harness__DataProtection__CertificatePassword"] = "pfx-pass",
            };
        });

        var ring = Assert.Single(await KeyRingAsync(serviceId));
        Assert.Contains("EncryptedData", ring);
        Assert.DoesNotContain("<masterKey", ring);
    }

    /// <summary>Configures a key through one silo process, kills it, runs a turn through a second one; returns the ServiceId.</summary>
    private static async Task<string> SetThroughOneUseThroughTheNextAsync(Func<TestWorkspace, Dictionary<string, string>> extra)
    {
        var apiKey = $"sk-at-rest-{Guid.NewGuid():N}";
        await using var upstream = await FakeUpstreamServer.StartAsync();
        upstream.Always("POST /openai/v1/chat/completions", OpenAiFixtures.TextAnswer());
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules: []\n");
        var id = Guid.NewGuid().ToString("N")[..10];
        var first = new SiloSettings($"rest-a-{id}", $"rest-{id}", PostgresDatabase.ConnectionString, workspace, workspace.Root);
        // Another cluster of the same service: shares only what PostgreSQL holds for the ServiceId (grain state, key
        // ring), and each process gets its own HOME so no file-system key ring can be shared behind the test's back.
        var second = first with { ClusterId = $"rest-b-{id}", SiloPort = SiloProcess.FreePort(), GatewayPort = SiloProcess.FreePort(), HttpPort = SiloProcess.FreePort() };
        var settings = extra(workspace);

        string firstLog;
        await using (var silo = SiloProcess.Start(first, Home(workspace, "a", settings)))
        {
            await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90));
            using var http = Client(first);
            using var configured = await http.PostAsJsonAsync("/v1/functions/harness::provider::configure",
                new { provider = "openai", api_key = apiKey, api_url = upstream.Url("openai/v1") });
            var reply = await configured.Content.ReadAsStringAsync();
            Assert.True(configured.IsSuccessStatusCode, reply);
            Assert.DoesNotContain(apiKey, reply);
            await silo.KillAsync();
            firstLog = silo.Output;
        }

        await using var next = SiloProcess.Start(second, Home(workspace, "b", settings));
        await next.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        using var client = Client(second);
        using var started = await client.PostAsJsonAsync("/v1/functions/run::start", new
        {
            session_id = Runs.NewSession(), provider = "openai", model = "gpt-4o",
            messages = new[] { new { role = "user", content = new[] { new { type = "text", text = "hi" } }, timestamp = 1 } },
        });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (upstream.RequestsTo("POST /openai/v1/chat/completions").Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var request = Assert.Single(upstream.RequestsTo("POST /openai/v1/chat/completions").Take(1));
        Assert.Equal($"Bearer {apiKey}", request.Header("authorization"));
        var rows = await StoredRowsAsync(first.ServiceId);
        var row = Assert.Single(rows, r => r.Contains("ProtectedApiKey", StringComparison.Ordinal));
        Assert.DoesNotContain(apiKey, row);
        Assert.All(rows, r => Assert.DoesNotContain(apiKey, r));
        Assert.DoesNotContain(apiKey, firstLog);
        Assert.DoesNotContain(apiKey, next.Output);
        return first.ServiceId;
    }

    private static Dictionary<string, string> Home(TestWorkspace workspace, string name, Dictionary<string, string> settings)
    {
        var home = Path.Combine(workspace.Root, $"home-{name}");
        Directory.CreateDirectory(home);
        return new Dictionary<string, string>(settings) { ["HOME"] = home };
    }

    private static HttpClient Client(SiloSettings settings) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{settings.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Every grain-state row of the service, its bytes as text (printable bytes as they are, others escaped).</summary>
    private static Task<List<string>> StoredRowsAsync(string serviceId) =>
        TextsAsync("SELECT encode(payloadbinary, 'escape') FROM orleansstorage WHERE serviceid = $1 AND payloadbinary IS NOT NULL", serviceId);

    private static Task<List<string>> KeyRingAsync(string serviceId) =>
        TextsAsync("SELECT xml FROM harnessdataprotectionkeys WHERE serviceid = $1", serviceId);

    private static async Task<List<string>> TextsAsync(string sql, string serviceId)
    {
        await using var command = PostgresDatabase.DataSource.CreateCommand(sql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = serviceId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }
}
