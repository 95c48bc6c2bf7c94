using System.Text.Json.Nodes;

namespace Harness.Tests.Bridge.StandIn;

/// <summary>
/// Worker lifecycle as the real engine (0.22.1, <c>engine/src/engine/mod.rs</c>, <c>workers/engine_fn</c>) has it:
/// the last registration of an id routes it and a disconnect removes only the ids the worker still owns (the main
/// file), <c>engine::workers-available</c> fires <c>worker_connected</c>, <c>worker_metadata_updated</c> and — after the
/// dead worker's ids and triggers are gone — <c>worker_disconnected</c> to every binding of that type, each call on its
/// own task; and <c>engine::workers::list</c> / <c>engine::triggers::list</c>.
/// </summary>
public sealed partial class EngineStandIn
{
    private const string WorkersAvailable = "engine::workers-available";

    private int _workersAvailableFired;

    /// <summary>How many <c>engine::workers-available</c> calls were made (every binding, every event).</summary>
    public int WorkersAvailableFired => Volatile.Read(ref _workersAvailableFired);

    /// <summary>Ids the worker <paramref name="workerId"/> currently routes.</summary>
    public IReadOnlyList<string> FunctionsOwnedBy(string workerId)
    {
        lock (_lock)
        {
            return [.. _functions.Where(f => f.Value.Owner.Id == workerId).Select(f => f.Key).Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Every connected worker that announced <paramref name="name"/>.</summary>
    public IReadOnlyList<StandInWorker> WorkersNamed(string name) => [.. _workers.Values.Where(w => w.Name == name)];

    private void FireWorkersAvailable(string kind, string workerId)
    {
        List<JsonObject> bindings;
        lock (_lock)
        {
            bindings = [.. _triggers.Values.Select(t => t.Binding).Where(b => Str(b, "trigger_type") == WorkersAvailable)];
        }
        foreach (var binding in bindings)
        {
            var data = new JsonObject { ["event"] = kind, ["worker_id"] = workerId };
            Interlocked.Increment(ref _workersAvailableFired);
            _ = Task.Run(async () =>
            {
                try
                {
                    await InvokeAsync(Str(binding, "function_id")!, data, TimeSpan.FromSeconds(10), binding["metadata"]);
                }
                catch (Exception ex) when (ex is StandInInvocationException or TimeoutException)
                {
                    // The engine logs and moves on.
                }
            });
        }
    }

    private (JsonNode? Result, (string Code, string Message)? Error)? RunWorkerBuiltin(string functionId, JsonObject input)
    {
        switch (functionId)
        {
            case "engine::workers::list":
                var workers = new JsonArray();
                foreach (var worker in _workers.Values.Where(w => w.Metadata?["pid"] is not null).OrderBy(w => w.Name, StringComparer.Ordinal))
                {
                    workers.Add(new JsonObject
                    {
                        ["name"] = worker.Name,
                        ["description"] = worker.Metadata?["description"]?.DeepClone(),
                        ["version"] = worker.Metadata?["version"]?.DeepClone(),
                        ["id"] = worker.Id,
                        ["runtime"] = worker.Metadata?["runtime"]?.DeepClone(),
                        ["status"] = "connected",
                        ["function_count"] = FunctionsOwnedBy(worker.Id).Count,
                    });
                }
                return (new JsonObject { ["workers"] = workers }, null);
            case "engine::triggers::list":
                lock (_lock)
                {
                    var types = new JsonArray();
                    foreach (var (id, owner) in _triggerTypes.OrderBy(t => t.Key, StringComparer.Ordinal))
                    {
                        types.Add(new JsonObject { ["id"] = id, ["worker_name"] = owner.Name ?? id.Split("::")[0], ["description"] = "" });
                    }
                    return (new JsonObject { ["triggers"] = types }, null);
                }
            default:
                return null;
        }
    }
}
