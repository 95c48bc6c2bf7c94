using Harness.Models;
using Harness.Providers;
using Harness.Serialization;
using Harness.Validation;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Harness.Tests.Providers;

/// <summary><c>harness::provider::resolve</c> for built-in providers: keys only behind the opt-in, never in logs or ToString.</summary>
public sealed class ProviderResolveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_the_opt_in_resolve_withholds_the_key_but_reports_the_connection()
    {
        await using var host = await ProviderTestHost.StartAsync();
        var resolved = await host.Services.GetRequiredService<ProviderAdmin>().ResolveAsync("openai", Ct);

        Assert.True(resolved.Configured);
        Assert.Equal(ProviderKeySources.Configuration, resolved.Source);
        Assert.Null(resolved.Credential);
        Assert.True(resolved.CredentialWithheld);
        Assert.Equal(host.Server.Url("openai/v1"), resolved.ApiUrl);
        var json = WireJson.Serialize(resolved);
        Assert.DoesNotContain(ProviderTestHost.KeyOf("openai"), json, StringComparison.Ordinal);
        Assert.Contains("\"credential\":null", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_opt_in_resolve_hands_out_the_key_in_the_original_shape()
    {
        await using var host = await ProviderTestHost.StartAsync(s => s["Harness:ProviderRegistry:ServeCredentials"] = "true");
        var resolved = await host.Services.GetRequiredService<ProviderAdmin>().ResolveAsync("kimi", Ct);

        Assert.Equal(("api_key", ProviderTestHost.KeyOf("kimi")), (resolved.Credential!.Type, resolved.Credential.Key));
        Assert.False(resolved.CredentialWithheld);
        Assert.DoesNotContain(ProviderTestHost.KeyOf("kimi"), resolved.ToString(), StringComparison.Ordinal);
        var json = WireJson.ToElement(resolved);
        Assert.Equal(["configured", "source", "credential", "api_url", "max_tokens"], json.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_local_provider_without_a_key_resolves_to_a_null_credential()
    {
        await using var host = await ProviderTestHost.StartAsync(s => s["Harness:ProviderRegistry:ServeCredentials"] = "true");
        var resolved = await host.Services.GetRequiredService<ProviderAdmin>().ResolveAsync("lmstudio", Ct);

        Assert.True(resolved.Configured);
        Assert.Null(resolved.Credential);
        Assert.Null(resolved.Source);
        Assert.Equal(host.Server.Url("lmstudio/v1"), resolved.ApiUrl);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("nobody")]
    public async Task An_unknown_or_missing_provider_is_refused_naming_the_field(string? provider)
    {
        await using var host = await ProviderTestHost.StartAsync();
        var error = await Assert.ThrowsAsync<PayloadValidationException>(() => host.Services.GetRequiredService<ProviderAdmin>().ResolveAsync(provider, Ct));
        Assert.Equal("provider", error.Field);
    }
}
