using System.Collections.Concurrent;
using Harness.Models;

namespace Harness.Providers;

/// <summary>
/// Key store backed by <see cref="IProviderConfigGrain"/>, so a key configured on one silo is used by all of them.
/// Reads are cached for <see cref="CacheTtl"/> to keep a grain call off every model request; a change made through
/// this silo is visible here at once, on other silos within <see cref="CacheTtl"/>. When the grain cannot be reached
/// the last known value (or nothing) is used and a warning logged, so configuration and environment keys still work.
/// </summary>
public sealed partial class ProviderKeyStore(IGrainFactory grains, TimeProvider time, ILogger<ProviderKeyStore> logger) : IProviderKeyStore
{
    /// <summary>How long a read is reused: 15 seconds.</summary>
    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, (ProviderCredentials? Value, DateTimeOffset ReadAt)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public async ValueTask<ProviderCredentials?> GetAsync(string provider, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(provider, out var hit) && now - hit.ReadAt < CacheTtl)
        {
            return hit.Value;
        }
        try
        {
            var value = await Grain(provider).GetCredentials().WaitAsync(cancellationToken);
            _cache[provider] = (value, now);
            return value;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReadFailed(logger, provider, ex.GetType().Name);
            return hit.Value;
        }
    }

    public async Task<ProviderConfigStatus> SetAsync(ProviderConfigureRequest request, CancellationToken cancellationToken)
    {
        request.Validate();
        var grain = Grain(request.Provider!);
        var status = await grain.Configure(request with { Provider = request.Provider!.ToLowerInvariant() }).WaitAsync(cancellationToken);
        _cache[request.Provider!] = (await grain.GetCredentials(), time.GetUtcNow());
        return status;
    }

    private IProviderConfigGrain Grain(string provider) => grains.GetGrain<IProviderConfigGrain>(provider.ToLowerInvariant());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading stored settings of provider {Provider} failed ({Error}); using configuration and environment")]
    private static partial void LogReadFailed(ILogger logger, string provider, string error);
}
