namespace Harness.Bridge.Functions;

/// <summary>
/// Function id → handler for everything the bridge publishes. Built from every <see cref="IBridgeFunctionSource"/>;
/// functions added later (<see cref="Add"/>) are published by the client on the live connection and on every replay.
/// Keeps insertion order so replays are deterministic.
/// </summary>
public sealed class BridgeFunctionCatalog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, BridgeFunctionDescriptor> _byId = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public BridgeFunctionCatalog(IEnumerable<IBridgeFunctionSource> sources)
    {
        foreach (var function in sources.SelectMany(s => s.GetFunctions()))
        {
            if (!TryAdd(function))
            {
                throw new InvalidOperationException($"Two bridge function sources publish '{function.Id}'.");
            }
        }
    }

    /// <summary>A catalog holding exactly <paramref name="functions"/> (tests, tools).</summary>
    public static BridgeFunctionCatalog Of(params BridgeFunctionDescriptor[] functions)
    {
        var catalog = new BridgeFunctionCatalog([]);
        foreach (var function in functions)
        {
            catalog.Add(function);
        }
        return catalog;
    }

    /// <summary>Raised after a function is added or replaced (the client publishes it).</summary>
    public event Action<BridgeFunctionDescriptor>? Added;

    /// <summary>Raised after a function is removed (the client unregisters it).</summary>
    public event Action<string>? Removed;

    /// <summary>A snapshot in registration order.</summary>
    public IReadOnlyList<BridgeFunctionDescriptor> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _order.Select(id => _byId[id])];
            }
        }
    }

    public bool TryGet(string functionId, out BridgeFunctionDescriptor descriptor)
    {
        lock (_lock)
        {
            return _byId.TryGetValue(functionId, out descriptor!);
        }
    }

    /// <summary>Adds or replaces a function.</summary>
    public void Add(BridgeFunctionDescriptor function)
    {
        lock (_lock)
        {
            if (_byId.TryAdd(function.Id, function))
            {
                _order.Add(function.Id);
            }
            else
            {
                _byId[function.Id] = function;
            }
        }
        Added?.Invoke(function);
    }

    public bool Remove(string functionId)
    {
        lock (_lock)
        {
            if (!_byId.Remove(functionId))
            {
                return false;
            }
            _order.Remove(functionId);
        }
        Removed?.Invoke(functionId);
        return true;
    }

    private bool TryAdd(BridgeFunctionDescriptor function)
    {
        lock (_lock)
        {
            if (!_byId.TryAdd(function.Id, function))
            {
                return false;
            }
            _order.Add(function.Id);
            return true;
        }
    }
}
