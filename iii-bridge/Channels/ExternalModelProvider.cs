using Harness.Messages;
using Harness.Models;
using Harness.Providers;

namespace Harness.Bridge.Channels;

/// <summary>
/// An <see cref="IModelProvider"/> served by an iii worker outside the cluster (<c>Harness:Bridge:ExternalProviders</c>).
/// Registered after the in-process providers, so it takes over a name they share.
/// </summary>
public sealed class ExternalModelProvider(string name, ExternalProviderClient client) : IModelProvider
{
    public string Name { get; } = name;

    public IAsyncEnumerable<AssistantMessageEvent> StreamAsync(ProviderRequest request, CancellationToken cancellationToken) =>
        client.StreamAsync(Name, request, cancellationToken);

    /// <summary>The channel contract has no model listing; the catalog gets models from elsewhere.</summary>
    public Task<IReadOnlyList<ModelInfo>> ListModelsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ModelInfo>>([]);
}
