using Harness.Models;
using Microsoft.Extensions.Options;

namespace Harness.Providers;

/// <summary>
/// Resolves the endpoint, key and max tokens of a provider for one request. Precedence: stored (runtime) value,
/// then <see cref="ProviderOptions"/>, then the environment variable (key only), then the built-in default.
/// </summary>
public sealed class ProviderConnectionResolver(IOptionsMonitor<ProviderOptions> options, IProviderKeyStore keyStore)
{
    public ProviderOptions Options(string provider) => options.Get(provider);

    public async ValueTask<ProviderConnection> ResolveAsync(ProviderProfile profile, CancellationToken cancellationToken)
    {
        var configured = options.Get(profile.Name);
        var stored = await keyStore.GetAsync(profile.Name, cancellationToken);

        var (key, source) = stored?.ApiKey is { Length: > 0 } storedKey
            ? (storedKey, ProviderKeySources.Stored)
            : configured.ApiKey is { Length: > 0 } configuredKey
                ? (configuredKey, ProviderKeySources.Configuration)
                : EnvironmentKey(configured.ApiKeyEnvironmentVariable ?? profile.ApiKeyEnvironmentVariable);

        var url = stored?.ApiUrl ?? configured.BaseUrl ?? profile.DefaultBaseUrl;
        var maxTokens = stored?.MaxTokens ?? configured.MaxTokens ?? profile.DefaultMaxTokens;
        return new ProviderConnection(profile.Name, new Uri(url, UriKind.Absolute), key, source, maxTokens);
    }

    /// <summary>Like <see cref="ResolveAsync"/> but in the reply shape: no key, only whether one exists and its source.</summary>
    public async Task<ProviderConfigureResult> DescribeAsync(ProviderProfile profile, CancellationToken cancellationToken)
    {
        var connection = await ResolveAsync(profile, cancellationToken);
        var stored = await keyStore.GetAsync(profile.Name, cancellationToken);
        return new ProviderConfigureResult
        {
            Provider = profile.Name,
            Configured = connection.HasKey || !profile.RequiresApiKey,
            Source = connection.KeySource,
            ApiUrl = connection.BaseUrl.ToString(),
            // Spec resolve: max_tokens only when user-configured, not the built-in default.
            MaxTokens = stored?.MaxTokens ?? options.Get(profile.Name).MaxTokens,
        };
    }

    private static (string? Key, string? Source) EnvironmentKey(string? variable) =>
        variable is not null && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? (value, ProviderKeySources.Environment)
            : (null, null);
}
