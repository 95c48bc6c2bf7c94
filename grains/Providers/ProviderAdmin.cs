using Harness.Models;
using Harness.Validation;

namespace Harness.Providers;

/// <summary>
/// The console-facing provider functions: <c>harness::provider::list</c>, configure (store a key/URL/max tokens at
/// runtime) and a status query in the shape of <c>harness::provider::resolve</c> minus the credential. No reply ever
/// contains a key.
/// </summary>
public sealed class ProviderAdmin(IProviderRegistry registry, IProviderKeyStore keyStore)
{
    /// <summary><c>harness::provider::list</c>: every registered provider, sorted by id.</summary>
    public ProviderListResult List() => new()
    {
        Providers = registry.All
            .Select(p => p is IDescribedModelProvider d ? d.Descriptor : new ProviderDescriptor { Id = p.Name, DisplayName = p.Name })
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToList(),
    };

    /// <summary>Validates and stores the request, then reports the resulting configuration (never the key).</summary>
    public async Task<ProviderConfigureResult> ConfigureAsync(ProviderConfigureRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        var provider = Find(request.Provider!);
        await keyStore.SetAsync(request with { Provider = provider.Name }, cancellationToken);
        return await StatusAsync(provider.Name, cancellationToken);
    }

    /// <summary>Whether <paramref name="provider"/> has a key and where it comes from.</summary>
    public Task<ProviderConfigureResult> StatusAsync(string provider, CancellationToken cancellationToken) =>
        Find(Require.NonEmpty(provider, "provider")) is IDescribedModelProvider described
            ? described.DescribeConfigurationAsync(cancellationToken)
            : Task.FromResult(new ProviderConfigureResult { Provider = provider, Configured = true });

    private IModelProvider Find(string name) =>
        registry.Find(name) ?? throw new PayloadValidationException("provider", $"unknown provider '{name}' (known: {string.Join(", ", registry.All.Select(p => p.Name).Order())})");
}
