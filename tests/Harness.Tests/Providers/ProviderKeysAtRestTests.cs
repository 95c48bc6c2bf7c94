using System.Net.Http.Json;
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

        string firstLog;
        await using (var silo = SiloProcess.Start(first, Home(workspace, "a")))
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

        await using var next = SiloProcess.Start(second, Home(workspace, "b"));
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
        Assert.Equal(1L, await PostgresDatabase.ScalarAsync<long>("SELECT count(*) FROM harnessdataprotectionkeys WHERE serviceid = $1", CancellationToken.None, first.ServiceId));
        Assert.DoesNotContain(apiKey, firstLog);
        Assert.DoesNotContain(apiKey, next.Output);
    }

    private static Dictionary<string, string> Home(TestWorkspace workspace, string name)
    {
        var home = Path.Combine(workspace.Root, $"home-{name}");
        Directory.CreateDirectory(home);
        return new Dictionary<string, string> { ["HOME"] = home };
    }

    private static HttpClient Client(SiloSettings settings) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{settings.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Every grain-state row of the service, its bytes as text (printable bytes as they are, others escaped).</summary>
    private static async Task<List<string>> StoredRowsAsync(string serviceId)
    {
        await using var command = PostgresDatabase.DataSource.CreateCommand(
            "SELECT encode(payloadbinary, 'escape') FROM orleansstorage WHERE serviceid = $1 AND payloadbinary IS NOT NULL");
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
