using Harness.Bridge.Client;
using Harness.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Hooks;

/// <summary>
/// Whether some worker has a <c>durable:subscriber</c> trigger on a topic, from <c>engine::registered-triggers::list</c>; the
/// answer is reused for <see cref="HookFanoutOptions.SubscriberCacheTtl"/>. A failing check answers yes, so a hook is
/// never skipped because the engine was briefly unreachable (as the original's <c>subscriber-presence</c>).
/// </summary>
public sealed class SubscriberPresence(IServiceProvider services, IOptionsMonitor<HookFanoutOptions> options, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (bool Present, DateTimeOffset At)> _cache = new(StringComparer.Ordinal);

    public async Task<bool> HasSubscriberAsync(string topic, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_cache.TryGetValue(topic, out var hit) && now - hit.At < options.CurrentValue.SubscriberCacheTtl)
            {
                return hit.Present;
            }
        }
        bool present;
        try
        {
            var listed = await services.GetRequiredService<IiiWorkerClient>().InvokeAsync("engine::registered-triggers::list", ListQuery, TimeSpan.FromSeconds(5), null, cancellationToken);
            present = Subscribes(listed, topic);
        }
        catch (Exception ex) when (ex is IiiInvocationException or TimeoutException)
        {
            present = true;
        }
        lock (_lock)
        {
            _cache[topic] = (present, now);
        }
        return present;
    }

    /// <summary>The engine's bound-trigger listing, narrowed to durable subscribers.</summary>
    private static readonly JsonElement ListQuery = WireJson.Parse("""{"trigger_type":"durable:subscriber"}""");

    /// <summary>
    /// <c>{registered_triggers:[{trigger_type:"durable:subscriber", config:{topic|queue}}]}</c> (engine 0.22:
    /// <c>engine::registered-triggers::list</c>; older engines answered bindings under <c>triggers</c>) names the topic.
    /// </summary>
    public static bool Subscribes(JsonElement listed, string topic) =>
        listed.ValueKind == JsonValueKind.Object
        && (listed.TryGetProperty("registered_triggers", out var triggers) || listed.TryGetProperty("triggers", out triggers))
        && triggers.ValueKind == JsonValueKind.Array
        && triggers.EnumerateArray().Any(t =>
            t.ValueKind == JsonValueKind.Object
            && t.TryGetProperty("trigger_type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "durable:subscriber"
            && t.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object
            && ((config.TryGetProperty("topic", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() == topic)
                || (config.TryGetProperty("queue", out var queue) && queue.ValueKind == JsonValueKind.String && queue.GetString() == topic)));
}
