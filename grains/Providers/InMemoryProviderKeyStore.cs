using System.Collections.Concurrent;
using Harness.Models;

namespace Harness.Providers;

/// <summary>
/// Process-local key store, used when no Orleans grain factory is available (tools, unit tests). Values are lost on
/// restart and not shared between silos (so nothing is at rest and keys are kept as given); inside a silo
/// <see cref="ProviderKeyStore"/> is used instead.
/// </summary>
public sealed class InMemoryProviderKeyStore(TimeProvider time) : IProviderKeyStore
{
    private readonly ConcurrentDictionary<string, ProviderConfigState> _entries = new(StringComparer.OrdinalIgnoreCase);

    public ValueTask<ProviderCredentials?> GetAsync(string provider, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_entries.TryGetValue(provider, out var state) ? state.ToCredentials(Plain) : null);

    public Task<ProviderConfigStatus> SetAsync(ProviderConfigureRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        var state = _entries.AddOrUpdate(
            request.Provider!,
            _ => new ProviderConfigState().Apply(request, time.GetUtcNow(), Plain),
            (_, existing) => existing.Apply(request, time.GetUtcNow(), Plain));
        return Task.FromResult(state.ToStatus(request.Provider!));
    }

    private static string Plain(string key) => key;
}
