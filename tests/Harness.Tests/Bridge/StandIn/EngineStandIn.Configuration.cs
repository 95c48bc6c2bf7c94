using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Harness.Tests.Bridge.StandIn;

/// <summary>
/// The engine's <c>configuration</c> worker, as far as the harness uses it: <c>configuration::register {id, name,
/// description, schema, initial_value?}</c> replaces the schema and keeps a value already held (the initial value
/// only seeds an empty entry); <c>configuration::get {id, raw?}</c> answers <c>{id, value}</c>, and an unknown id is
/// an error; <c>configuration::set {id, value}</c> stores a value (what an operator's form edit does).
/// </summary>
public sealed partial class EngineStandIn
{
    private readonly ConcurrentDictionary<string, (JsonObject Registration, JsonNode? Value)> _configuration = new(StringComparer.Ordinal);

    /// <summary>The last <c>configuration::register</c> payload for <paramref name="id"/> and the value held.</summary>
    public (JsonObject Registration, JsonNode? Value)? ConfigurationEntry(string id) =>
        _configuration.TryGetValue(id, out var entry) ? (entry.Registration.DeepClone().AsObject(), entry.Value?.DeepClone()) : null;

    private static bool IsConfigurationBuiltin(string functionId) => functionId.StartsWith("configuration::", StringComparison.Ordinal);

    private (JsonNode? Result, (string Code, string Message)? Error)? RunConfigurationBuiltin(string functionId, JsonObject input)
    {
        if (!IsConfigurationBuiltin(functionId))
        {
            return null;
        }
        if (Str(input, "id") is not { } id)
        {
            return (null, ("INVALID_ARGUMENTS", "id is required"));
        }
        switch (functionId)
        {
            case "configuration::register":
                if (input["schema"] is not JsonObject)
                {
                    return (null, ("INVALID_ARGUMENTS", "schema is required"));
                }
                _configuration.AddOrUpdate(
                    id,
                    _ => (input.DeepClone().AsObject(), input["initial_value"]?.DeepClone()),
                    (_, held) => (input.DeepClone().AsObject(), held.Value ?? input["initial_value"]?.DeepClone()));
                return (new JsonObject { ["id"] = id }, null);
            case "configuration::get":
                return _configuration.TryGetValue(id, out var entry)
                    ? (new JsonObject { ["id"] = id, ["value"] = entry.Value?.DeepClone() }, null)
                    : (null, ("NOT_FOUND", $"configuration entry '{id}' not found"));
            case "configuration::set":
                if (!_configuration.TryGetValue(id, out var current))
                {
                    return (null, ("NOT_FOUND", $"configuration entry '{id}' not found"));
                }
                _configuration[id] = (current.Registration, input["value"]?.DeepClone());
                return (new JsonObject { ["id"] = id }, null);
            default:
                return (null, ("function_not_found", $"Function {functionId} not found"));
        }
    }
}
