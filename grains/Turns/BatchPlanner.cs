namespace Harness.Turns;

/// <summary>Spec <c>planBatchFromAssistant</c>: unwraps every agent_trigger call in assistant order.</summary>
public static class BatchPlanner
{
    public static List<PreparedCall> Plan(AgentMessage assistant) =>
        [.. assistant.FunctionCalls.Select(PlanOne)];

    private static PreparedCall PlanOne(ContentBlock block)
    {
        var id = block.Id ?? "";
        var args = block.Arguments ?? WireJson.Empty;
        if (block.FunctionId != AgentTriggerTool.Name)
        {
            return MissingFunction(id, block.FunctionId ?? "", args);
        }
        var target = args.ValueKind == JsonValueKind.Object && args.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.String
            ? f.GetString() : null;
        if (string.IsNullOrEmpty(target))
        {
            return MissingFunction(id, AgentTriggerTool.Name, args);
        }
        var payload = args.TryGetProperty("payload", out var p) ? p : WireJson.Empty;
        return new PreparedCall
        {
            Route = CallRoutes.Dispatch,
            Call = new FunctionCall { Id = id, FunctionId = target, Arguments = payload },
        };
    }

    private static PreparedCall MissingFunction(string id, string functionId, JsonElement args) => new()
    {
        Route = CallRoutes.Synthetic,
        Call = new FunctionCall { Id = id, FunctionId = functionId, Arguments = args },
        Result = FunctionResult.FromDetails(WireJson.ToElement(new Dictionary<string, string>
        {
            ["error"] = "missing_function",
            ["message"] = "agent_trigger requires a non-empty `function` string field",
        })),
    };
}
