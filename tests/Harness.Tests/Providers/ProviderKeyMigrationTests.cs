using Harness.Hosting;
using Harness.Models;
using Harness.Providers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace Harness.Tests.Providers;

/// <summary>Rows written before keys were encrypted (plaintext <c>ApiKey</c>) still load, and are re-written encrypted.</summary>
public sealed class ProviderKeyMigrationTests(ProvidersClusterFixture fixture) : IClassFixture<ProvidersClusterFixture>
{
    [Fact]
    public async Task A_stored_plaintext_key_still_works_and_is_rewritten_encrypted_on_activation()
    {
        const string legacyKey = "sk-legacy-plaintext-0123456789";
        var provider = $"legacy-{Guid.NewGuid():N}"[..20];
        var storage = fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>(HarnessStorage.Name);
        var grainId = GrainId.Create("provider-config", provider);
        await storage.WriteStateAsync("provider-config", grainId, new GrainState<ProviderConfigState>(new ProviderConfigState { ApiKey = legacyKey, MaxTokens = 77 }));

        var credentials = await fixture.Cluster.Client.GetGrain<IProviderConfigGrain>(provider).GetCredentials();

        Assert.Equal(legacyKey, credentials?.ApiKey);
        Assert.Equal(77, credentials?.MaxTokens);
        var stored = new GrainState<ProviderConfigState>(new ProviderConfigState());
        await storage.ReadStateAsync("provider-config", grainId, stored);
        Assert.Null(stored.State!.ApiKey);
        var encrypted = Assert.IsType<string>(stored.State.ProtectedApiKey);
        Assert.DoesNotContain(legacyKey, encrypted);
        Assert.Equal(legacyKey, fixture.SiloServices.GetRequiredService<ProviderKeyProtector>().Unprotect(encrypted));
    }

    [Fact]
    public void The_storage_json_of_a_legacy_row_still_deserializes()
    {
        // The shape rows had before ProtectedApiKey existed (System.Text.Json grain storage serializer).
        var legacy = JsonSerializer.Deserialize<ProviderConfigState>("""{"ApiKey":"sk-old","ApiUrl":"https://proxy.example/v1","MaxTokens":5,"UpdatedAt":1}""")!;

        var migrated = legacy.MigrateLegacyKey(k => $"protected({k})");

        Assert.Equal("sk-old", legacy.ToCredentials(k => k)!.ApiKey);
        Assert.Null(migrated.ApiKey);
        Assert.Equal("protected(sk-old)", migrated.ProtectedApiKey);
        Assert.Equal("https://proxy.example/v1", migrated.ApiUrl);
    }
}
