using System.Collections.Concurrent;

namespace Harness.Functions;

/// <summary>A function served inside the silo process.</summary>
public delegate Task<JsonElement> LocalFunctionHandler(JsonElement payload, CancellationToken cancellationToken);

/// <summary>Functions registered in-process (demo tools, tests, harness functions the model may call).</summary>
public sealed class LocalFunctionRegistry
{
    private readonly ConcurrentDictionary<string, LocalFunctionHandler> _handlers = new(StringComparer.Ordinal);

    public void Register(string functionId, LocalFunctionHandler handler) => _handlers[functionId] = handler;

    public bool Unregister(string functionId) => _handlers.TryRemove(functionId, out _);

    public bool TryGet(string functionId, out LocalFunctionHandler handler) => _handlers.TryGetValue(functionId, out handler!);

    public IReadOnlyCollection<string> FunctionIds => [.. _handlers.Keys];
}
