using System.Text.Json.Nodes;
using Harness.Approvals;
using Harness.Functions;

namespace Harness.Turns;

/// <summary>Turns what a target function returned or threw into a <see cref="FunctionResult"/> (spec <c>triggerFunctionCall</c>).</summary>
public static class FunctionOutcomes
{
    public const string InterruptedText = "interrupted: executed at most once, result unknown";

    /// <summary>A value with an array <c>content</c> is a FunctionResult already; anything else becomes text.</summary>
    public static FunctionResult FromValue(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            var blocks = content.Deserialize<List<ContentBlock>>(WireJson.Options) ?? [];
            var details = value.TryGetProperty("details", out var d) && d.ValueKind != JsonValueKind.Null ? d : WireJson.Empty;
            var terminate = value.TryGetProperty("terminate", out var t) && t.ValueKind == JsonValueKind.True;
            return new FunctionResult { Content = blocks, Details = details, Terminate = terminate };
        }
        var text = value.ValueKind == JsonValueKind.Undefined ? "null" : WireJson.ToText(value);
        return new FunctionResult { Content = [ContentBlock.OfText(text)], Details = value.ValueKind == JsonValueKind.Undefined ? null : value };
    }

    /// <summary>Maps an invocation failure to the §2.9 result shapes.</summary>
    public static FunctionResult FromException(string functionId, Exception error) => error switch
    {
        FunctionNotFoundException => FunctionResult.FromDetails(WireJson.ToElement(new Dictionary<string, string>
        {
            ["error"] = "function_not_found",
            ["function"] = functionId,
            ["hint"] = Hint(functionId),
        })),
        FunctionInvocationException fie => FunctionResult.FromDetails(HandlerError(fie)),
        _ => DenialResults.GateUnavailable(functionId, $"trigger_failed: {error.Message}"),
    };

    /// <summary>The result of a call that was triggered before a crash and never confirmed: it is not invoked again.</summary>
    public static FunctionResult Interrupted() => FunctionResult.FromDetails(WireJson.ToElement(new Dictionary<string, string>
    {
        ["error"] = "interrupted",
        ["message"] = InterruptedText,
    })) with { Content = [ContentBlock.OfText(InterruptedText)] };

    private static JsonElement HandlerError(FunctionInvocationException error)
    {
        var details = new JsonObject { ["error"] = "handler_error" };
        if (TryParseObject(error.Detail) is { } structured && structured["code"] is JsonValue && structured["message"] is JsonValue)
        {
            foreach (var (key, value) in structured)
            {
                details[key] = value?.DeepClone();
            }
        }
        else
        {
            details["code"] = error.Code;
            details["message"] = error.Detail;
        }
        details["error"] = "handler_error";
        return JsonSerializer.SerializeToElement(details);
    }

    private static JsonObject? TryParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Hint(string functionId) => functionId.Contains("::", StringComparison.Ordinal)
        ? $"No function '{functionId}' is registered. List functions with engine::functions::list and use an exact id."
        : $"'{functionId}' is not a function id: ids look like 'worker::fn' (e.g. 'shell::fs::ls'). Skill paths are not callable.";
}
