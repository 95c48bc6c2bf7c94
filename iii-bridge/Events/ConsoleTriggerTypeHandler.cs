using Harness.Events;
using Harness.Bridge.Client;
using Harness.Triggers;
using Harness.Validation;

namespace Harness.Bridge.Events;

/// <summary>
/// Provider side of every C4 trigger type (<see cref="ConsoleTriggerTypes"/>): a binding the engine forwards is checked
/// (<c>config</c> an object, <c>config.session_id</c> a non-empty string when given) and stored in the cluster's
/// <see cref="IConsoleTriggerBindingsGrain"/> before the engine gets the acknowledgement, so it is deliverable from
/// every bridge silo at once and outlives this one.
/// </summary>
public sealed class ConsoleTriggerTypeHandler(IGrainFactory grains, TimeProvider time) : IIiiTriggerTypeHandler
{
    private IConsoleTriggerBindingsGrain Bindings => grains.GetGrain<IConsoleTriggerBindingsGrain>(IConsoleTriggerBindingsGrain.Key);

    public async Task RegisterTriggerAsync(IiiTriggerBinding binding, CancellationToken cancellationToken)
    {
        Require.NonEmpty(binding.Id, "id");
        Require.NonEmpty(binding.FunctionId, "function_id");
        await Bindings.Bind(new ConsoleTriggerBinding
        {
            Id = binding.Id,
            TriggerType = binding.TriggerType,
            FunctionId = binding.FunctionId,
            SessionId = SessionFilter(binding.Config),
            CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
    }

    public Task UnregisterTriggerAsync(IiiTriggerBinding binding, CancellationToken cancellationToken) => Bindings.Unbind(binding.Id);

    /// <summary><c>config.session_id</c>, or null (every session) when config or the field is absent or null.</summary>
    public static string? SessionFilter(JsonElement? config)
    {
        if (config is not { } c || c.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (c.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadValidationException("config", "must be an object ({session_id} or {})");
        }
        if (!c.TryGetProperty("session_id", out var sid) || sid.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (sid.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(sid.GetString()))
        {
            throw new PayloadValidationException("config.session_id", "must be a non-empty string (omit it for every session)");
        }
        return sid.GetString();
    }
}
