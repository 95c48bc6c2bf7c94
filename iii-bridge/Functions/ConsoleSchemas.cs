using Harness.Bridge.Functions.Payloads;

namespace Harness.Bridge.Functions;

/// <summary>
/// Request schemas of the C4 surface, shaped like iii-hq/harness-e2e <c>tests/golden/schemas/harness.{send,status,stop}.json</c>
/// (same required fields and enums; the message is a string or an object with <c>role</c> and <c>content</c>).
/// </summary>
public static class ConsoleSchemas
{
    public static JsonNode Send() => new JsonObject
    {
        ["title"] = "SendRequest",
        ["type"] = "object",
        ["required"] = new JsonArray("message"),
        ["properties"] = new JsonObject
        {
            ["session_id"] = Nullable("string", "Omit to create a new session."),
            ["message"] = new JsonObject
            {
                ["description"] = "A string (a user text message) or an AgentMessage of role user or custom.",
                ["anyOf"] = new JsonArray(
                    new JsonObject { ["type"] = "string" },
                    new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("role", "content"),
                        ["properties"] = new JsonObject
                        {
                            ["role"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("user", "custom") },
                            ["content"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object", ["required"] = new JsonArray("type") } },
                            ["timestamp"] = new JsonObject { ["type"] = "integer" },
                        },
                    }),
            },
            ["model"] = Nullable("string", "Required to start a new session; later sends inherit the last run's model."),
            ["provider"] = Nullable("string", null),
            ["idempotency_key"] = Nullable("string", "A repeated key answers the original {session_id, turn_id} and appends nothing."),
            ["session"] = new JsonObject { ["type"] = new JsonArray("object", "null") },
            ["options"] = new JsonObject
            {
                ["type"] = new JsonArray("object", "null"),
                ["properties"] = new JsonObject
                {
                    ["mode"] = Enum(ConsoleSendRequest.Modes),
                    ["functions"] = new JsonObject
                    {
                        ["type"] = new JsonArray("object", "null"),
                        ["properties"] = new JsonObject
                        {
                            ["allow"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                            ["deny"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                            ["expose"] = Enum(["agent_trigger", "native"]),
                        },
                    },
                    ["system_prompt"] = Nullable("string", null),
                    ["system_prompt_strategy"] = Enum(ConsoleSendRequest.SystemPromptStrategies),
                    ["thinking_level"] = Enum(ConsoleSendRequest.ThinkingLevels),
                    ["max_turns"] = new JsonObject { ["type"] = new JsonArray("integer", "null"), ["minimum"] = 1 },
                    ["provider_options"] = new JsonObject { ["type"] = new JsonArray("object", "null") },
                    ["metadata"] = new JsonObject(),
                },
            },
        },
    };

    public static JsonNode Session(string title, params string[] more)
    {
        var properties = new JsonObject { ["session_id"] = new JsonObject { ["type"] = "string" } };
        foreach (var field in more)
        {
            properties[field] = field == "message" ? new JsonObject() : Nullable("string", null);
        }
        return new JsonObject { ["title"] = title, ["type"] = "object", ["required"] = new JsonArray("session_id"), ["properties"] = properties };
    }

    private static JsonObject Nullable(string type, string? description)
    {
        var schema = new JsonObject { ["type"] = new JsonArray(type, "null") };
        if (description is not null)
        {
            schema["description"] = description;
        }
        return schema;
    }

    private static JsonObject Enum(IEnumerable<string> values) =>
        new() { ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) }, new JsonObject { ["type"] = "null" }) };
}
