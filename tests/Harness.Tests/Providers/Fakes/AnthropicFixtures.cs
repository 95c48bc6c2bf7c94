using System.Text.Json;

namespace Harness.Tests.Providers.Fakes;

/// <summary>Anthropic Messages SSE streams (<c>event:</c> + <c>data:</c> frames) and error bodies.</summary>
public static class AnthropicFixtures
{
    public const string MessagesRoute = "POST /anthropic/v1/messages";
    public const string ModelsRoute = "GET /anthropic/v1/models";

    public static string Event(string name, object data) => $"event: {name}\ndata: {JsonSerializer.Serialize(data)}\n\n";

    public static string MessageStart(int inputTokens = 25, int cacheRead = 0) => Event("message_start", new
    {
        type = "message_start",
        message = new
        {
            id = "msg_01",
            type = "message",
            role = "assistant",
            model = "claude-sonnet-4-5",
            content = Array.Empty<object>(),
            stop_reason = (string?)null,
            stop_sequence = (string?)null,
            usage = new { input_tokens = inputTokens, output_tokens = 1, cache_read_input_tokens = cacheRead, cache_creation_input_tokens = 0 },
        },
    });

    public static string BlockStart(int index, object block) => Event("content_block_start", new { type = "content_block_start", index, content_block = block });

    public static string Delta(int index, object delta) => Event("content_block_delta", new { type = "content_block_delta", index, delta });

    public static string BlockStop(int index) => Event("content_block_stop", new { type = "content_block_stop", index });

    public static string MessageDelta(string stopReason, int outputTokens) => Event("message_delta", new
    {
        type = "message_delta",
        delta = new { stop_reason = stopReason, stop_sequence = (string?)null },
        usage = new { output_tokens = outputTokens },
    });

    public static readonly string MessageStop = Event("message_stop", new { type = "message_stop" });

    public static readonly string Ping = Event("ping", new { type = "ping" });

    /// <summary>"Hello there" in two text deltas, end_turn, usage 25 in / 15 out.</summary>
    public static FakeResponse TextAnswer() => FakeResponse.Sse(
    [
        MessageStart(),
        BlockStart(0, new { type = "text", text = "" }),
        Ping,
        Delta(0, new { type = "text_delta", text = "Hello" }),
        Delta(0, new { type = "text_delta", text = " there" }),
        BlockStop(0),
        MessageDelta("end_turn", 15),
        MessageStop,
    ]);

    /// <summary>A signed thinking block, a text block and a tool_use whose input arrives as input_json_delta fragments.</summary>
    public static FakeResponse ThinkingTextAndToolUse(string toolName = "agent_trigger") => FakeResponse.Sse(
    [
        MessageStart(inputTokens: 120, cacheRead: 30),
        BlockStart(0, new { type = "thinking", thinking = "", signature = "" }),
        Delta(0, new { type = "thinking_delta", thinking = "The user wants " }),
        Delta(0, new { type = "thinking_delta", thinking = "a listing." }),
        Delta(0, new { type = "signature_delta", signature = "sig-abc" }),
        BlockStop(0),
        BlockStart(1, new { type = "text", text = "" }),
        Delta(1, new { type = "text_delta", text = "Let me look." }),
        BlockStop(1),
        BlockStart(2, new { type = "tool_use", id = "toolu_01", name = toolName, input = new { } }),
        Delta(2, new { type = "input_json_delta", partial_json = "" }),
        Delta(2, new { type = "input_json_delta", partial_json = "{\"function\": \"shell::fs::ls\"" }),
        Delta(2, new { type = "input_json_delta", partial_json = ", \"payload\": {\"path\": \"/tmp\"}}" }),
        BlockStop(2),
        MessageDelta("tool_use", 89),
        MessageStop,
    ]);

    public static FakeResponse MaxTokens() => FakeResponse.Sse(
    [
        MessageStart(),
        BlockStart(0, new { type = "text", text = "" }),
        Delta(0, new { type = "text_delta", text = "cut" }),
        BlockStop(0),
        MessageDelta("max_tokens", 5),
        MessageStop,
    ]);

    /// <summary>An accepted stream that fails with an <c>event: error</c> (overloaded).</summary>
    public static FakeResponse OverloadedMidStream() => FakeResponse.Sse(
    [
        MessageStart(),
        BlockStart(0, new { type = "text", text = "" }),
        Delta(0, new { type = "text_delta", text = "Hel" }),
        Event("error", new { type = "error", error = new { type = "overloaded_error", message = "Overloaded" } }),
    ]);

    public static FakeResponse TextThenHang() => FakeResponse.SseThenHang(
    [
        MessageStart(),
        BlockStart(0, new { type = "text", text = "" }),
        Delta(0, new { type = "text_delta", text = "Working" }),
    ]);

    public static FakeResponse Error(int status, string type, string message) => FakeResponse.Error(status,
        JsonSerializer.Serialize(new { type = "error", error = new { type, message }, request_id = "req_1" }));

    public static FakeResponse Unauthorized() => Error(401, "authentication_error", "invalid x-api-key");

    public static FakeResponse RateLimited() => Error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit");

    public static FakeResponse PromptTooLong() => Error(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum");

    public static FakeResponse ServerError() => Error(500, "api_error", "Internal server error");

    public static FakeResponse Overloaded() => Error(529, "overloaded_error", "Overloaded");

    public static FakeResponse Models(params (string Id, string Name, long? MaxInput)[] models) => FakeResponse.Json(JsonSerializer.Serialize(new
    {
        data = models.Select(m => new
        {
            type = "model",
            id = m.Id,
            display_name = m.Name,
            created_at = "2025-09-29T00:00:00Z",
            max_input_tokens = m.MaxInput,
            max_tokens = 64000,
        }).ToArray(),
        has_more = false,
        first_id = models.FirstOrDefault().Id,
        last_id = models.LastOrDefault().Id,
    }));
}
