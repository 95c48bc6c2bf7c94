using Harness.Models;
using Harness.Providers;
using Harness.Serialization;
using Harness.Tests.Providers.Fakes;
using Harness.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Harness.Tests.Providers;

/// <summary>Runtime provider configuration stored by the provider-config grain and used by the providers in the silo.</summary>
public sealed class ProviderConfigGrainTests(ProvidersClusterFixture fixture) : IClassFixture<ProvidersClusterFixture>
{
    private const string StoredKey = "sk-stored-in-grain-0123456789";

    [Fact]
    public async Task Configured_key_is_stored_in_the_grain_and_used_by_the_provider()
    {
        var admin = fixture.SiloServices.GetRequiredService<ProviderAdmin>();

        var reply = await admin.ConfigureAsync(new ProviderConfigureRequest { Provider = "kimi", ApiKey = StoredKey }, TestContext.Current.CancellationToken);
        fixture.Server.Enqueue("POST /kimi/v1/chat/completions", OpenAiFixtures.TextAnswer());
        var provider = fixture.SiloServices.GetRequiredService<IProviderRegistry>().Find("kimi")!;
        await foreach (var _ in provider.StreamAsync(Conversations.Hello("kimi-k2"), TestContext.Current.CancellationToken))
        {
        }

        Assert.Equal(ProviderKeySources.Stored, reply.Source);
        Assert.DoesNotContain(StoredKey, WireJson.Serialize(reply));
        var status = await fixture.Cluster.Client.GetGrain<IProviderConfigGrain>("kimi").GetStatus();
        Assert.True(status.HasApiKey);
        Assert.DoesNotContain(StoredKey, WireJson.Serialize(status));
        Assert.Equal($"Bearer {StoredKey}", fixture.Server.RequestsTo("POST /kimi/v1/chat/completions")[^1].Header("authorization"));
    }

    [Fact]
    public async Task Another_silos_key_store_reads_the_stored_key_from_the_grain()
    {
        await fixture.SiloServices.GetRequiredService<ProviderAdmin>()
            .ConfigureAsync(new ProviderConfigureRequest { Provider = "lmstudio", ApiKey = StoredKey, MaxTokens = 512 }, TestContext.Current.CancellationToken);

        // A fresh store has an empty cache, as on a silo that did not handle the configure call.
        var other = new ProviderKeyStore(fixture.Cluster.Client, TimeProvider.System, NullLogger<ProviderKeyStore>.Instance);
        var credentials = await other.GetAsync("LMStudio", TestContext.Current.CancellationToken);

        Assert.Equal(StoredKey, credentials?.ApiKey);
        Assert.Equal(512, credentials?.MaxTokens);
    }

    [Fact]
    public async Task Grain_rejects_a_request_for_another_provider()
    {
        var grain = fixture.Cluster.Client.GetGrain<IProviderConfigGrain>("openai");

        var ex = await Assert.ThrowsAsync<PayloadValidationException>(() => grain.Configure(new ProviderConfigureRequest { Provider = "kimi", ApiKey = StoredKey }));

        Assert.Equal("provider", ex.Field);
    }

    [Fact]
    public async Task Clear_removes_everything_stored()
    {
        var grain = fixture.Cluster.Client.GetGrain<IProviderConfigGrain>("anthropic");
        await grain.Configure(new ProviderConfigureRequest { Provider = "anthropic", ApiKey = StoredKey, ApiUrl = "https://proxy.example/v1" });

        await grain.Clear();

        Assert.Null(await grain.GetCredentials());
        Assert.False((await grain.GetStatus()).HasApiKey);
    }
}
