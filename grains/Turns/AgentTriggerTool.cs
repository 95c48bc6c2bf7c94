namespace Harness.Turns;

/// <summary>The single tool the model ever sees (spec §2.7): <c>agent_trigger {function, payload}</c>.</summary>
public static class AgentTriggerTool
{
    public const string Name = "agent_trigger";

    public static AgentFunction Schema { get; } = new()
    {
        Name = Name,
        Description = "Call any iii function on the bus. Give the function id in `function` and its arguments in `payload`.",
        Parameters = WireJson.Parse("""
            {"type":"object",
             "properties":{
               "function":{"type":"string","description":"iii function id to dispatch, e.g. 'shell::fs::ls'."},
               "payload":{"type":"object","description":"Arguments forwarded to the function."}},
             "required":["function"]}
            """),
        Label = Name,
        ExecutionMode = "parallel",
        PrepareArgumentsSupported = false,
    };
}
