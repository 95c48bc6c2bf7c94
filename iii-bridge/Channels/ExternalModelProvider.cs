using Harness.Messages;
using Harness.Models;
using Harness.Providers;

namespace Harness.Bridge.Channels;

/// <summary>
/// An <see cref="IModelProvider"/> served by an iii worker outside the cluster: configured
/// (<c>Harness:Bridge:ExternalProviders</c>) or registered at runtime (<c>harness::provider::register</c>). It takes
/// over an in-process provider of the same name.
/// </summary>
public sealed class ExternalModelProvider(string name, ExternalProviderClient client) : IBusModelProvider
{
    public string Name { get; } = name;

    public IAsyncEnumerable<AssistantMessageEvent> StreamAsync(ProviderRequest request, CancellationToken cancellationToken) =>
        client.StreamAsync(Name, request, cancellationToken);

    /// <summary>The worker lists its models itself (<c>models::reconcile</c>); the catalog does not ask it.</summary>
    public Task<IReadOnlyList<ModelInfo>> ListModelsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ModelInfo>>([]);
}
