using Harness.Models;

namespace Harness.Providers;

/// <summary>A provider that can describe itself for <c>harness::provider::list</c> and report its configuration state.</summary>
public interface IDescribedModelProvider : IModelProvider
{
    ProviderDescriptor Descriptor { get; }

    /// <summary>Whether a key is available and where it comes from; never the key itself.</summary>
    Task<ProviderConfigureResult> DescribeConfigurationAsync(CancellationToken cancellationToken);
}
