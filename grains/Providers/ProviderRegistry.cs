using System.Collections.Concurrent;
using System.Collections.Frozen;
using Harness.Models;
using Microsoft.Extensions.Options;

namespace Harness.Providers;

/// <summary>
/// <see cref="IProviderRegistry"/> over the DI providers, the configured bus names (through
/// <see cref="IRemoteProviderFactory"/>, created on first use) and the registrations grain. Routing reads a snapshot
/// of the registrations that is refreshed after <see cref="ProviderRegistryOptions.RegistrationCacheTtl"/>, or at once
/// for a name nothing else knows; when the grain cannot be read the last snapshot is used.
/// </summary>
public sealed partial class ProviderRegistry : IProviderRegistry
{
    private readonly Dictionary<string, IModelProvider> _local;
    private readonly IGrainFactory? _grains;
    private readonly IRemoteProviderFactory? _remote;
    private readonly IOptionsMonitor<ProviderRegistryOptions>? _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lazy<IReadOnlyList<IModelProvider>> _configured;
    private readonly ConcurrentDictionary<string, IModelProvider> _busProviders = new(StringComparer.OrdinalIgnoreCase);
    private volatile Snapshot _snapshot = new(FrozenSet<string>.Empty, DateTimeOffset.MinValue);

    private sealed record Snapshot(FrozenSet<string> Names, DateTimeOffset ReadAt);

    public ProviderRegistry(
        IEnumerable<IModelProvider> providers,
        IGrainFactory? grains = null,
        IRemoteProviderFactory? remote = null,
        IOptionsMonitor<ProviderRegistryOptions>? options = null,
        TimeProvider? time = null,
        ILogger<ProviderRegistry>? logger = null)
    {
        _local = providers.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
                          .ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);
        _grains = grains;
        _remote = remote;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        // Configured bus names take over an in-process provider of the same name (they are the operator's choice).
        _configured = new(() => remote is null ? [] : [.. remote.ConfiguredNames.Select(Bus)]);
    }

    public IReadOnlyCollection<IModelProvider> All =>
        [.. _local.Values.Where(p => !_configured.Value.Any(c => c.Name.Equals(p.Name, StringComparison.OrdinalIgnoreCase))), .. _configured.Value];

    public IModelProvider? Find(string name) =>
        _configured.Value.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? _local.GetValueOrDefault(name);

    public async ValueTask<IModelProvider?> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        if (_grains is null || _remote is null)
        {
            return Find(name);
        }
        var snapshot = _snapshot;
        var known = Find(name);
        var stale = _time.GetUtcNow() - snapshot.ReadAt >= Ttl;
        if (stale || (known is null && !snapshot.Names.Contains(name)))
        {
            snapshot = await ReloadAsync(cancellationToken);
        }
        return snapshot.Names.Contains(name) ? Bus(name) : known;
    }

    public async Task<IReadOnlyList<ProviderDeclaration>> RegistrationsAsync(CancellationToken cancellationToken) =>
        _grains is null ? [] : await Registrations.List().WaitAsync(cancellationToken);

    public async Task<ProviderDeclaration> RegisterAsync(ProviderDeclaration declaration, CancellationToken cancellationToken)
    {
        var grains = _grains ?? throw new InvalidOperationException("provider registration needs the cluster");
        var stored = await grains.GetGrain<IProviderRegistrationsGrain>(IProviderRegistrationsGrain.Key).Register(declaration).WaitAsync(cancellationToken);
        var snapshot = _snapshot;
        _snapshot = snapshot with { Names = snapshot.Names.Append(stored.Id!).ToFrozenSet(StringComparer.OrdinalIgnoreCase) };
        return stored;
    }

    private TimeSpan Ttl => _options?.CurrentValue.RegistrationCacheTtl ?? TimeSpan.FromSeconds(5);

    private IProviderRegistrationsGrain Registrations => _grains!.GetGrain<IProviderRegistrationsGrain>(IProviderRegistrationsGrain.Key);

    private async Task<Snapshot> ReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var list = await Registrations.List().WaitAsync(cancellationToken);
            var snapshot = new Snapshot(list.Select(d => d.Id!).ToFrozenSet(StringComparer.OrdinalIgnoreCase), _time.GetUtcNow());
            _snapshot = snapshot;
            return snapshot;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReloadFailed(_logger, ex.GetType().Name, ex.Message);
            return _snapshot;
        }
    }

    private IModelProvider Bus(string name) => _busProviders.GetOrAdd(name.ToLowerInvariant(), n => _remote!.Create(n));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the bus provider registrations failed ({Error}: {Message}); routing with the last known list")]
    private static partial void LogReloadFailed(ILogger logger, string error, string message);
}
