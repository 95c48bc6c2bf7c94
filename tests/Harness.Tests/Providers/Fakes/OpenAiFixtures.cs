using System.Text.Json;

namespace Harness.Tests.Providers.Fakes;

/// <summary>OpenAI chat.completions chunk streams (<c>data: {...}</c> lines, <c>data: [DONE]</c>) and error bodies.</summary>
public static class OpenAiFixtures
{
    public const string ChatRoute = "POST /openai/v1/chat/completions";

    public static string Chunk(object delta, string? finishReason = null, string model = "gpt-4o") =>
        Data(new
        {
            id = "chatcmpl-1",
            @object = "chat.completion.chunk",
            created = 1_700_000_000,
            model,
            choices = new[] { new { index = 0, delta, finish_reason = finishReason } },
        });

    public static string UsageChunk(int prompt, int completion, int cached = 0) =>
        Data(new
        {
            id = "chatcmpl-1",
            @object = "chat.completion.chunk",
            created = 1_700_000_000,
            model = "gpt-4o",
            choices = Array.Empty<object>(),
            usage = new
            {
                prompt_tokens = prompt,
                completion_tokens = completion,
                total_tokens = prompt + completion,
                prompt_tokens_details = new { cached_tokens = cached },
            },
        });

    public const string Done = "data: [DONE]\n\n";

    /// <summary>"Hello" in two deltas, finish stop, usage 12 in / 3 out.</summary>
    public static FakeResponse TextAnswer() => FakeResponse.Sse(
    [
        Chunk(new { role = "assistant", content = "" }),
        Chunk(new { content = "Hel" }),
        Chunk(new { content = "lo" }),
        Chunk(new { }, "stop"),
        UsageChunk(12, 3),
        Done,
    ]);

    /// <summary>One agent_trigger call whose argument JSON arrives in three fragments; finish tool_calls.</summary>
    public static FakeResponse ToolCall(string toolName = "agent_trigger") => FakeResponse.Sse(
    [
        Chunk(new { role = "assistant", content = (string?)null, tool_calls = new[] { new { index = 0, id = "call_abc", type = "function", function = new { name = toolName, arguments = "" } } } }),
        Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = "{\"function\":\"shell::fs::ls\"," } } } }),
        Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = "\"payload\":{\"path\":\"/tmp\"}" } } } }),
        Chunk(new { tool_calls = new[] { new { index = 0, function = new { arguments = "}" } } } }),
        Chunk(new { }, "tool_calls"),
        UsageChunk(40, 20, cached: 10),
        Done,
    ]);

    /// <summary>Text, then two parallel tool calls (index 0 and 1).</summary>
    public static FakeResponse TextThenTwoToolCalls() => FakeResponse.Sse(
    [
        Chunk(new { role = "assistant", content = "Checking." }),
        Chunk(new { tool_calls = new[] { new { index = 0, id = "call_1", type = "function", function = new { name = "agent_trigger", arguments = "{\"function\":\"a\"}" } } } }),
        Chunk(new { tool_calls = new[] { new { index = 1, id = "call_2", type = "function", function = new { name = "agent_trigger", arguments = "{\"function\":" } } } }),
        Chunk(new { tool_calls = new[] { new { index = 1, function = new { arguments = "\"b\"}" } } } }),
        Chunk(new { }, "tool_calls"),
        Done,
    ]);

    /// <summary>llama.cpp / LM Studio style reasoning_content before the answer; finish length.</summary>
    public static FakeResponse ReasoningThenText() => FakeResponse.Sse(
    [
        Chunk(new { role = "assistant", reasoning_content = "Let me " }, model: "qwen3"),
        Chunk(new { reasoning_content = "think." }, model: "qwen3"),
        Chunk(new { content = "42" }, model: "qwen3"),
        Chunk(new { }, "length", model: "qwen3"),
        Done,
    ]);

    public static FakeResponse ContentFiltered() => FakeResponse.Sse(
    [
        Chunk(new { role = "assistant", content = "I" }),
        Chunk(new { }, "content_filter"),
        Done,
    ]);

    /// <summary>The first text delta, then the response stays open (for abort tests).</summary>
    public static FakeResponse TextThenHang() => FakeResponse.SseThenHang(
    [
        Chunk(new { role = "assistant", content = "Thinking about it" }),
    ]);

    public static FakeResponse Unauthorized(string echoedKey = "sk-test") => FakeResponse.Error(401,
        Json(new { error = new { message = $"Incorrect API key provided: {echoedKey}.", type = "invalid_request_error", code = "invalid_api_key" } }));

    public static FakeResponse RateLimited() => FakeResponse.Error(429,
        Json(new { error = new { message = "Rate limit reached for gpt-4o", type = "requests", code = "rate_limit_exceeded" } }));

    public static FakeResponse ContextTooLong() => FakeResponse.Error(400,
        Json(new { error = new { message = "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens.", type = "invalid_request_error", code = "context_length_exceeded" } }));

    public static FakeResponse BadRequest() => FakeResponse.Error(400,
        Json(new { error = new { message = "Invalid value for 'temperature'.", type = "invalid_request_error", code = "invalid_value" } }));

    public static FakeResponse ServerError() => FakeResponse.Error(500,
        Json(new { error = new { message = "The server had an error while processing your request.", type = "server_error" } }));

    public static FakeResponse Models(params string[] ids) => FakeResponse.Json(Json(new
    {
        @object = "list",
        data = ids.Select(id => new { id, @object = "model", created = 1_700_000_000, owned_by = "test" }).ToArray(),
    }));

    private static string Data(object payload) => $"data: {Json(payload)}\n\n";

    private static string Json(object payload) => JsonSerializer.Serialize(payload);
}
