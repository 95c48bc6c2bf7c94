using System.Text.Json.Nodes;

namespace Harness.Turns;

/// <summary>
/// Spec <c>withRoutingEnvelope</c>: the agent payload (or <c>{arguments: value}</c>) plus session_id, function_call_id,
/// function_id and function_call, overwriting same-named keys. We send it for pre-approved calls too, so a target
/// always learns its session (the original dropped it there).
/// </summary>
public static class RoutingEnvelope
{
    public static JsonElement Wrap(FunctionCall call, string sessionId)
    {
        var obj = call.Arguments.ValueKind == JsonValueKind.Object
            ? JsonNode.Parse(call.Arguments.GetRawText())!.AsObject()
            : new JsonObject { ["arguments"] = call.Arguments.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(call.Arguments.GetRawText()) };
        obj["session_id"] = sessionId;
        obj["function_call_id"] = call.Id;
        obj["function_id"] = call.FunctionId;
        obj["function_call"] = JsonSerializer.SerializeToNode(call, WireJson.Options);
        return JsonSerializer.SerializeToElement(obj);
    }
}
