using System.Text.Json.Nodes;
using Harness.Bridge.Client;
using Harness.ConsoleTurns;
using Harness.Events;
using Harness.Messages;
using Harness.Serialization;
using Harness.Triggers;
using Harness.Turns;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>
/// Session trigger subscriptions (the Rust harness's wakes, console-and-data §1.6 "Session triggers"): an agent's
/// <c>engine::register_trigger {trigger_type, config, label?, once?, target?:{function_id}, lifecycle?:{once,
/// max_fires, expires_in_ms}, metadata?:{action}}</c> is served here (the turn's tool call never reaches the engine's
/// own registrar, so the owner is the calling session, from the routing envelope): the record is stored
/// (<see cref="ISessionTriggersGrain"/>) and an engine trigger of that type is bound to <see cref="DeliverId"/> with
/// the subscription as its metadata. A fire notifies the owner (a <c>harness::send</c> of the event) or calls the
/// target; <c>once</c> / <c>max_fires</c> / expiry retire it. Every change fires <c>harness::triggers-changed</c>.
/// </summary>
public sealed class SessionTriggers(IGrainFactory grains, IiiWorkerClient client, IConsoleTriggerPublisher triggers, TimeProvider time)
{
    public const string RegisterId = "engine::register_trigger";
    public const string UnregisterId = "engine::unregister_trigger";
    public const string DeliverId = "harness::trigger::deliver";
    private const string BindingKey = "__binding";
    private const string OwnerKey = "__session";

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The intercepted <c>engine::register_trigger</c>: answers <c>{subscription_id, once}</c>.</summary>
    public async Task<JsonElement> RegisterAsync(JsonElement payload)
    {
        var args = payload.ValueKind == JsonValueKind.Object ? payload : throw new PayloadValidationException("$", "must be an object");
        var sid = Str(args, "session_id") ?? throw new PayloadValidationException("session_id", "is required (an agent's call carries its session)");
        var type = Str(args, "trigger_type") is { Length: > 0 } t ? t : throw new PayloadValidationException("trigger_type", "is required (cron, state, stream, timer, durable:subscriber, …)");
        var config = args.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? c.GetRawText() : "{}";
        var target = args.TryGetProperty("target", out var tg) && tg.ValueKind == JsonValueKind.Object ? Str(tg, "function_id") : null;
        if (target is "harness::spawn" or DeliverId || target?.StartsWith("harness::trigger", StringComparison.Ordinal) == true)
        {
            throw new PayloadValidationException("target.function_id", $"'{target}' cannot be a trigger target");
        }
        var lifecycle = args.TryGetProperty("lifecycle", out var l) && l.ValueKind == JsonValueKind.Object ? l : default;
        var once = Bool(lifecycle, "once") ?? Bool(args, "once") ?? (target is null || type == "timer");
        long? maxFires = lifecycle.ValueKind == JsonValueKind.Object && lifecycle.TryGetProperty("max_fires", out var mf) && mf.TryGetInt64(out var m) ? m : null;
        long? expiresIn = lifecycle.ValueKind == JsonValueKind.Object && lifecycle.TryGetProperty("expires_in_ms", out var ei) && ei.TryGetInt64(out var e) ? e : null;
        if (maxFires is < 1 || expiresIn is < 1)
        {
            throw new PayloadValidationException(maxFires is < 1 ? "lifecycle.max_fires" : "lifecycle.expires_in_ms", "must be a positive integer");
        }
        var now = Now;
        var id = $"sub_{Guid.NewGuid():N}";
        var record = new SessionTriggerRecord
        {
            SubscriptionId = id,
            TriggerId = id,
            TriggerType = type,
            ConfigJson = config,
            Target = target,
            Label = Str(args, "label"),
            Action = args.TryGetProperty("metadata", out var md) && md.ValueKind == JsonValueKind.Object ? Str(md, "action") : null,
            Once = once,
            MaxFires = maxFires,
            ExpiresAt = expiresIn is { } ms ? now + ms : null,
            CreatedAt = now,
        };
        await Owner(sid).Add(record);
        client.RegisterTrigger(type, DeliverId, WireJson.Parse(config), WireJson.ToElement(new JsonObject { [BindingKey] = id, [OwnerKey] = sid }), id);
        Changed(sid);
        return WireJson.ToElement(new JsonObject { ["subscription_id"] = id, ["once"] = once });
    }

    /// <summary>The intercepted <c>engine::unregister_trigger {id}</c> of an agent: only its own session's subscriptions.</summary>
    public async Task<JsonElement> UnregisterOwnAsync(JsonElement payload)
    {
        var sid = Str(payload, "session_id") ?? throw new PayloadValidationException("session_id", "is required (an agent's call carries its session)");
        var id = Str(payload, "id") ?? Str(payload, "subscription_id") ?? throw new PayloadValidationException("id", "is required (the subscription_id register answered)");
        return WireJson.ToElement(new JsonObject { ["removed"] = await UnregisterAsync(sid, id) });
    }

    /// <summary><c>harness::triggers::unregister</c>: removes the record and the engine binding; false when the session owns no such subscription.</summary>
    public async Task<bool> UnregisterAsync(string sessionId, string subscriptionId)
    {
        var removed = await Owner(sessionId).Remove(subscriptionId);
        if (removed is null)
        {
            return false;
        }
        client.UnregisterTrigger(removed.TriggerId ?? removed.SubscriptionId);
        Changed(sessionId);
        return true;
    }

    public async Task<IReadOnlyList<JsonElement>> ListAsync(string sessionId) =>
        [.. (await Owner(sessionId).List()).Select(Row)];

    /// <summary>One fire of a bound engine trigger (<see cref="DeliverId"/>): count it, then notify the owner or call the target.</summary>
    public async Task<JsonElement> DeliverAsync(BridgeInvocation invocation)
    {
        if (invocation.Metadata is not { ValueKind: JsonValueKind.Object } meta || Str(meta, BindingKey) is not { } id || Str(meta, OwnerKey) is not { } sid)
        {
            throw new PayloadValidationException("metadata.__binding", "is required (only the harness's own bindings deliver here)");
        }
        var fire = await Owner(sid).Fired(id, Now);
        if (fire is null)
        {
            client.UnregisterTrigger(id);  // a late fire of a retired or unregistered binding: deliver nothing
            return WireJson.ToElement(new JsonObject { ["delivered"] = false });
        }
        var record = fire.Record;
        if (fire.Retired)
        {
            client.UnregisterTrigger(record.TriggerId ?? id);
            Changed(sid);
        }
        var data = invocation.Data;
        if (record.Target is { } target)
        {
            await client.InvokeAsync(target, data, TimeSpan.FromSeconds(30));
        }
        else
        {
            var text = $"[trigger {record.Label ?? record.SubscriptionId}] {record.Action ?? $"{record.TriggerType} fired"}: {WireJson.ToText(data)}";
            await grains.GetGrain<IConsoleTurnsGrain>(sid).Send(new ConsoleSendCommand
            {
                Message = AgentMessage.User(text, Now),
                IdempotencyKey = $"trigger-{id}-{record.Fires}",
                Run = new RunStartRequest { SessionId = sid },
            });
        }
        return WireJson.ToElement(new JsonObject { ["delivered"] = true });
    }

    private ISessionTriggersGrain Owner(string sessionId) => grains.GetGrain<ISessionTriggersGrain>(sessionId);

    private void Changed(string sessionId) =>
        triggers.Publish(ConsoleTriggerTypes.TriggersChanged, sessionId, new JsonObject { ["session_id"] = sessionId, ["timestamp"] = Now });

    /// <summary>The wire row of <c>harness::triggers::list</c> (absent = omitted, as the Rust harness answers).</summary>
    private static JsonElement Row(SessionTriggerRecord r)
    {
        var row = new JsonObject { ["subscription_id"] = r.SubscriptionId };
        if (r.TriggerId is { } tid) row["trigger_id"] = tid;
        row["trigger_type"] = r.TriggerType;
        row["config"] = JsonNode.Parse(r.ConfigJson);
        if (r.Target is { } target) row["target"] = target;
        if (r.Label is { } label) row["label"] = label;
        if (r.Action is { } action) row["action"] = action;
        row["once"] = r.Once;
        if (r.MaxFires is { } max) row["max_fires"] = max;
        if (r.ExpiresAt is { } expires) row["expires_at"] = expires;
        row["fires"] = r.Fires;
        row["created_at"] = r.CreatedAt;
        return WireJson.ToElement(row);
    }

    private static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
}
