using System.Text.Json.Nodes;

namespace Harness.Tests.Bridge.StandIn;

/// <summary>
/// The durable-queue surface the hooks need (iii-protocol §3.1, §3.6): <c>iii::durable::publish {topic|queue, data}</c>
/// delivers <c>data</c> to every distinct function bound with a <c>durable:subscriber</c> trigger on that topic (an
/// ordinary invoke, in the background; no retries or DLQ here), and <c>engine::registered-triggers::list</c> lists the bound
/// triggers as <c>{triggers:[{id, trigger_type, function_id, config}]}</c>.
/// </summary>
public sealed partial class EngineStandIn
{
    /// <summary>How many messages <c>iii::durable::publish</c> accepted, by topic.</summary>
    public int PublishedCount(string topic) => _frames.Count(f => f.Type == "invokefunction" && f.FunctionId == "iii::durable::publish"
        && ((f.Frame["data"]?["topic"] ?? f.Frame["data"]?["queue"])?.GetValue<string>() == topic));

    private static bool IsDurableBuiltin(string functionId) => functionId == "iii::durable::publish";

    private (JsonNode? Result, (string Code, string Message)? Error)? RunDurableBuiltin(string functionId, JsonObject input)
    {
        switch (functionId)
        {
            case "iii::durable::publish":
                if ((Str(input, "topic") ?? Str(input, "queue")) is not { } topic)
                {
                    return (null, ("INVALID_ARGUMENTS", "topic is required"));
                }
                List<(string FunctionId, JsonNode? Metadata)> subscribers;
                lock (_lock)
                {
                    subscribers = [.. _triggers.Values.Select(t => t.Binding)
                        .Where(b => Str(b, "trigger_type") == "durable:subscriber" && b["config"] is JsonObject c && (Str(c, "topic") ?? Str(c, "queue")) == topic)
                        .DistinctBy(b => Str(b, "function_id"))
                        .Select(b => (Str(b, "function_id")!, b["metadata"]?.DeepClone()))];
                }
                var data = input["data"];
                foreach (var (subscriber, metadata) in subscribers)
                {
                    var message = data?.DeepClone();
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            await InvokeAsync(subscriber, message, TimeSpan.FromSeconds(30), metadata);
                        }
                        catch (Exception ex) when (ex is StandInInvocationException or TimeoutException)
                        {
                            // A failed delivery would be retried by the queue worker; the stand-in drops it.
                        }
                    });
                }
                return (null, null);
            case "engine::registered-triggers::list":
                lock (_lock)
                {
                    var list = new JsonArray();
                    foreach (var (id, (_, binding)) in _triggers)
                    {
                        list.Add(new JsonObject
                        {
                            ["id"] = id,
                            ["trigger_type"] = Str(binding, "trigger_type"),
                            ["function_id"] = Str(binding, "function_id"),
                            ["config"] = binding["config"]?.DeepClone(),
                        });
                    }
                    return (new JsonObject { ["registered_triggers"] = list }, null);
                }
            default:
                return null;
        }
    }
}
