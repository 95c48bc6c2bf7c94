using Harness.Models;
using Harness.Validation;
using Microsoft.Extensions.Options;

namespace Harness.Providers;

/// <summary>
/// The console- and worker-facing provider functions: <c>harness::provider::list</c>, <c>register</c> (a bus provider
/// declaring itself), configure (store a key/URL/max tokens at runtime), a status query and <c>resolve</c> (what a
/// provider worker asks for its key). Only <see cref="ResolveAsync"/> can carry a key, and only when
/// <see cref="ProviderRegistryOptions.ServeCredentials"/> is on; nothing here logs one.
/// </summary>
public sealed class ProviderAdmin(
    IProviderRegistry registry,
    IProviderKeyStore keyStore,
    ProviderConnectionResolver connections,
    IOptionsMonitor<ProviderRegistryOptions> options,
    IServiceProvider? services = null)
{
    /// <summary><c>harness::provider::list</c>: providers known at start and those registered over the bus (which win), sorted by id.</summary>
    public async Task<ProviderListResult> ListAsync(CancellationToken cancellationToken)
    {
        var byId = registry.All
            .Select(p => p is IDescribedModelProvider d ? d.Descriptor : new ProviderDescriptor { Id = p.Name, DisplayName = p.Name })
            .ToDictionary(d => d.Id, StringComparer.OrdinalIgnoreCase);
        foreach (var declaration in await registry.RegistrationsAsync(cancellationToken))
        {
            byId[declaration.Id!] = declaration.ToDescriptor();
        }
        return new ProviderListResult { Providers = [.. byId.Values.OrderBy(d => d.Id, StringComparer.Ordinal)] };
    }

    /// <summary><c>harness::provider::register</c>: validates and stores the declaration cluster-wide.</summary>
    public async Task<ProviderRegisterResult> RegisterAsync(ProviderDeclaration declaration, CancellationToken cancellationToken)
    {
        var valid = declaration.Validate();
        await registry.RegisterAsync(valid, cancellationToken);
        ProviderChanged(valid.Id!, "registered");
        return new ProviderRegisterResult();
    }

    /// <summary>Validates and stores the request, then reports the resulting configuration (never the key).</summary>
    public async Task<ProviderConfigureResult> ConfigureAsync(ProviderConfigureRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        var name = await KnownNameAsync(request.Provider!, cancellationToken);
        await keyStore.SetAsync(request with { Provider = name }, cancellationToken);
        ProviderChanged(name, "configured");
        return await StatusAsync(name, cancellationToken);
    }

    /// <summary>Whether <paramref name="provider"/> has a key and where it comes from.</summary>
    public async Task<ProviderConfigureResult> StatusAsync(string provider, CancellationToken cancellationToken)
    {
        var name = await KnownNameAsync(Require.NonEmpty(provider, "provider"), cancellationToken);
        var resolved = await ResolveCoreAsync(name, cancellationToken);
        return new ProviderConfigureResult
        {
            Provider = name,
            Configured = resolved.Configured,
            Source = resolved.Source,
            ApiUrl = resolved.ApiUrl,
            MaxTokens = resolved.MaxTokens,
        };
    }

    /// <summary>
    /// <c>harness::provider::resolve {provider}</c> (harness-core §3.1). For a bus-registered provider: the stored key
    /// wins, else the silo's environment variable named by <c>credential_env_var</c>; <c>api_url</c> stored or the
    /// declared default; <c>max_tokens</c> only when stored. A built-in provider resolves as it does for its own calls.
    /// The key is in the reply only when <see cref="ProviderRegistryOptions.ServeCredentials"/> is on.
    /// </summary>
    public async Task<ProviderResolveResult> ResolveAsync(string? provider, CancellationToken cancellationToken)
    {
        var name = await KnownNameAsync(Require.NonEmpty(provider, "provider"), cancellationToken);
        var resolved = await ResolveCoreAsync(name, cancellationToken);
        return options.CurrentValue.ServeCredentials || resolved.Credential is null
            ? resolved
            : resolved with { Credential = null, CredentialWithheld = true };
    }

    private async Task<ProviderResolveResult> ResolveCoreAsync(string name, CancellationToken cancellationToken)
    {
        var declaration = (await registry.RegistrationsAsync(cancellationToken)).FirstOrDefault(d => string.Equals(d.Id, name, StringComparison.OrdinalIgnoreCase));
        if (declaration is not null)
        {
            var stored = await keyStore.GetAsync(name, cancellationToken);
            var (key, source) = stored?.ApiKey is { Length: > 0 } storedKey
                ? (storedKey, ProviderKeySources.Stored)
                : declaration.CredentialEnvVar is { } variable && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
                    ? (value, ProviderKeySources.Environment)
                    : ((string?)null, (string?)null);
            return new ProviderResolveResult
            {
                Configured = key is not null,
                Source = source,
                Credential = key is null ? null : new ProviderApiKeyCredential { Key = key },
                ApiUrl = stored?.ApiUrl ?? declaration.DefaultApiUrl,
                MaxTokens = stored?.MaxTokens,
            };
        }
        if (registry.Find(name) is IDescribedModelProvider described)
        {
            var status = await described.DescribeConfigurationAsync(cancellationToken);
            var key = ProviderProfile.Find(name) is { } profile ? (await connections.ResolveAsync(profile, cancellationToken)).ApiKey : null;
            return new ProviderResolveResult
            {
                Configured = status.Configured,
                Source = status.Source,
                Credential = key is { Length: > 0 } ? new ProviderApiKeyCredential { Key = key } : null,
                ApiUrl = status.ApiUrl,
                MaxTokens = status.MaxTokens,
            };
        }
        // A configured bus provider or a test provider: nothing is known about its key.
        return new ProviderResolveResult { Configured = true };
    }

    /// <summary>
    /// <c>router::provider::changed {provider, op}</c> for the C4 console's provider list (session-less). The publisher is
    /// resolved on use: it depends on the bridge connection, whose function catalog depends on this class.
    /// </summary>
    private void ProviderChanged(string provider, string op) =>
        (services?.GetService(typeof(Events.IConsoleTriggerPublisher)) as Events.IConsoleTriggerPublisher)?.Publish(Events.ConsoleTriggerTypes.ProviderChanged, null, new System.Text.Json.Nodes.JsonObject { ["provider"] = provider, ["op"] = op });

    private async Task<string> KnownNameAsync(string name, CancellationToken cancellationToken)
    {
        if (registry.Find(name) is { } provider)
        {
            return provider.Name;
        }
        var registered = await registry.RegistrationsAsync(cancellationToken);
        return registered.FirstOrDefault(d => string.Equals(d.Id, name, StringComparison.OrdinalIgnoreCase))?.Id
            ?? throw new PayloadValidationException("provider", $"unknown provider '{name}' (known: {string.Join(", ", registry.All.Select(p => p.Name).Concat(registered.Select(d => d.Id!)).Distinct().Order())})");
    }
}
