using System.Text.Json;
using Harness.Messages;
using Harness.Providers;

namespace Harness.Tests.Providers;

/// <summary>Requests used by the provider tests.</summary>
public static class Conversations
{
    public const string SystemPrompt = "You are terse.";

    public static readonly AgentFunction AgentTrigger = new()
    {
        Name = "agent_trigger",
        Description = "Call any iii function on the bus.",
        Parameters = Json("""
            {"type":"object",
             "properties":{"function":{"type":"string","description":"iii function id"},
                           "payload":{"type":"object","description":"Arguments"}},
             "required":["function"],
             "additionalProperties":false}
            """),
        ExecutionMode = "parallel",
    };

    public static ProviderRequest Hello(string model = "gpt-4o", string? thinkingLevel = null) =>
        new(model, SystemPrompt, [AgentMessage.User("hi", 1)], [AgentTrigger], thinkingLevel);

    /// <summary>
    /// user → assistant (signed thinking, text, two calls) → allowed result → denied result → user: exercises every
    /// history mapping (tool calls, tool results by call id, the denied prefix, thinking replay).
    /// </summary>
    public static ProviderRequest AfterToolRound(string model) => new(model, SystemPrompt,
    [
        AgentMessage.User("List /tmp please", 1),
        new AgentMessage
        {
            Role = Roles.Assistant,
            Provider = "x",
            Model = model,
            StopReason = StopReasons.FunctionCall,
            Timestamp = 2,
            Content =
            [
                ContentBlock.OfThinking("The user wants a listing.", "sig-1"),
                ContentBlock.OfText("Checking."),
                ContentBlock.OfFunctionCall("call_1", "agent_trigger", Json("""{"function":"shell::fs::ls","payload":{"path":"/tmp"}}""")),
                ContentBlock.OfFunctionCall("call_2", "agent_trigger", Json("""{"function":"shell::exec","payload":{"cmd":"rm -rf /"}}""")),
            ],
        },
        new AgentMessage
        {
            Role = Roles.FunctionResult,
            FunctionCallId = "call_1",
            FunctionId = "agent_trigger",
            Content = [ContentBlock.OfText("a.txt\nb.txt")],
            Details = Json("""{"count":2}"""),
            IsError = false,
            Timestamp = 3,
        },
        new AgentMessage
        {
            Role = Roles.FunctionResult,
            FunctionCallId = "call_2",
            FunctionId = "agent_trigger",
            Content = [ContentBlock.OfText("Permission denied: shell::exec matched rule r1.")],
            Details = Json("""{"schema_version":1,"status":"denied","denied_by":"permissions"}"""),
            IsError = true,
            Timestamp = 4,
        },
        AgentMessage.User("thanks, now summarize", 5),
    ],
    [AgentTrigger]);

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static IReadOnlyList<string> Types(this IEnumerable<AssistantMessageEvent> events) => events.Select(e => e.Type).ToList();
}
