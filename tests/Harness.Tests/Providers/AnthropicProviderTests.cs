using System.Text.Json;
using Harness.Messages;
using Harness.Providers;
using Harness.Tests.Providers.Fakes;
using Xunit;

namespace Harness.Tests.Providers;

/// <summary>The Anthropic provider against a fake Messages API.</summary>
public sealed class AnthropicProviderTests : IAsyncLifetime
{
    private const string Model = "claude-sonnet-4-5";

    private ProviderTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ProviderTestHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Text_answer_streams_start_text_usage_stop_and_done()
    {
        _host.Server.Enqueue(AnthropicFixtures.MessagesRoute, AnthropicFixtures.TextAnswer());

        var events = await _host.StreamAsync(ProviderNames.Anthropic, Conversations.Hello(Model));

        Assert.Equal(["start", "text_start", "text_delta", "text_delta", "text_end", "usage", "stop", "done"], events.Types());
        Assert.All(events.Where(e => !e.IsTerminal), e => Assert.NotNull(e.Partial));
        Assert.Equal(StopReasons.End, events.Single(e => e.Type == "stop").StopReason);
        var message = events[^1].Message!;
        Assert.Equal("Hello there", message.Text);
        Assert.Equal(StopReasons.End, message.StopReason);
        Assert.Equal(ProviderNames.Anthropic, message.Provider);
        Assert.Equal(Model, message.Model);
        Assert.Equal(25, message.Usage!.Input);
        Assert.Equal(15, message.Usage.Output);
    }

    [Fact]
    public async Task Request_carries_model_max_tokens_system_tools_and_the_key()
    {
        _host.Server.Enqueue(AnthropicFixtures.MessagesRoute, AnthropicFixtures.TextAnswer());

        await _host.StreamAsync(ProviderNames.Anthropic, Conversations.Hello(Model));

        var request = Assert.Single(_host.Server.RequestsTo(AnthropicFixtures.MessagesRoute));
        // SDK 13.x sends the API key as a bearer token (documented on ClientOptions.ApiKey).
        Assert.Equal($"Bearer {ProviderTestHost.KeyOf("anthropic")}", request.Header("authorization"));
        Assert.False(string.IsNullOrEmpty(request.Header("anthropic-version")));
        var body = request.Json;
        Assert.Equal(Model, body.GetProperty("model").GetString());
        Assert.Equal(8192, body.GetProperty("max_tokens").GetInt32());
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.Equal(Conversations.SystemPrompt, body.GetProperty("system").GetString());
        Assert.False(body.TryGetProperty("thinking", out _));

        var tool = Assert.Single(body.GetProperty("tools").EnumerateArray());
        Assert.Equal("agent_trigger", tool.GetProperty("name").GetString());
        Assert.Equal(Conversations.AgentTrigger.Description, tool.GetProperty("description").GetString());
        // The whole schema goes through, including keys the SDK has no property for.
        Assert.True(JsonElement.DeepEquals(Conversations.AgentTrigger.Parameters, tool.GetProperty("input_schema")));
    }

    [Fact]
    public async Task History_merges_tool_results_into_one_user_turn_and_replays_signed_thinking()
    {
        _host.Server.Enqueue(AnthropicFixtures.MessagesRoute, AnthropicFixtures.TextAnswer());

        await _host.StreamAsync(ProviderNames.Anthropic, Conversations.AfterToolRound(Model));

        var messages = Assert.Single(_host.Server.RequestsTo(AnthropicFixtures.MessagesRoute)).Json.GetProperty("messages");
        Assert.Equal(["user", "assistant", "user"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));

        var assistant = messages[1].GetProperty("content");
        Assert.Equal(["thinking", "text", "tool_use", "tool_use"], assistant.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("sig-1", assistant[0].GetProperty("signature").GetString());
        Assert.Equal("call_1", assistant[2].GetProperty("id").GetString());
        Assert.Equal("agent_trigger", assistant[2].GetProperty("name").GetString());
        Assert.Equal("/tmp", assistant[2].GetProperty("input").GetProperty("payload").GetProperty("path").GetString());

        var user = messages[2].GetProperty("content");
        Assert.Equal(["tool_result", "tool_result", "text"], user.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("call_1", user[0].GetProperty("tool_use_id").GetString());
        Assert.Equal("a.txt\nb.txt", user[0].GetProperty("content").GetString());
        Assert.False(user[0].TryGetProperty("is_error", out _));
        Assert.Equal("call_2", user[1].GetProperty("tool_use_id").GetString());
        Assert.True(user[1].GetProperty("is_error").GetBoolean());
        Assert.StartsWith("[PERMISSION_DENIED] ", user[1].GetProperty("content").GetString());
        Assert.Equal("thanks, now summarize", user[2].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Thinking_text_and_tool_use_stream_as_their_own_blocks()
    {
        _host.Server.Enqueue(AnthropicFixtures.MessagesRoute, AnthropicFixtures.ThinkingTextAndToolUse());

        var events = await _host.StreamAsync(ProviderNames.Anthropic, Conversations.Hello(Model));

        Assert.Equal(
            ["start",
             "thinking_start", "thinking_delta", "thinking_delta", "thinking_end",
             "text_start", "text_delta", "text_end",
             "functioncall_start", "functioncall_delta", "functioncall_delta", "functioncall_end",
             "usage", "stop", "done"],
            events.Types());
        Assert.Equal(StopReasons.FunctionCall, events.Single(e => e.Type == "stop").StopReason);

        var message = events[^1].Message!;
        Assert.Equal(StopReasons.FunctionCall, message.StopReason);
        Assert.Equal(ContentBlock.OfThinking("The user wants a listing.", "sig-abc"), message.Content[0]);
        Assert.Equal("Let me look.", message.Content[1].Text);
        var call = message.Content[2];
        Assert.Equal(ContentTypes.FunctionCall, call.Type);
        Assert.Equal("toolu_01", call.Id);
        Assert.Equal("agent_trigger", call.FunctionId);
        Assert.True(JsonElement.DeepEquals(Conversations.Json("""{"function":"shell::fs::ls","payload":{"path":"/tmp"}}"""), call.Arguments!.Value));
        Assert.Equal(new Usage { Input = 120, Output = 89, CacheRead = 30, CacheWrite = 0 }, message.Usage);
    }

    [Fact]
    public async Task Thinking_level_enables_extended_thinking_with_room_for_the_answer()
    {
        _host.Server.Enqueue(AnthropicFixtures.MessagesRoute, AnthropicFixtures.TextAnswer());

        await _host.StreamAsync(ProviderNames.Anthropic, Conversations.Hello(Model, thinkingLevel: "high"));

        var body = Assert.Single(_host.Server.Requests).Json;
        Assert.Equal("enabled", body.GetProperty("thinking").GetProperty("type").GetString());
        Assert.Equal(16384, body.GetProperty("thinking").GetProperty("budget_tokens").GetInt32());
        Assert.True(body.GetProperty("max_tokens").GetInt32() > 16384);
    }

    [Fact]
    public async Task Max_tokens_stop_maps_to_length()
    {
        _host.Server.Enqueue(AnthropicFixtures.MessagesRoute, AnthropicFixtures.MaxTokens());

        var events = await _host.StreamAsync(ProviderNames.Anthropic, Conversations.Hello(Model));

        Assert.Equal(StopReasons.Length, events[^1].Message!.StopReason);
    }

    public static TheoryData<int, string> ErrorCases => new()
    {
        { 401, ErrorKinds.AuthExpired },
        { 429, ErrorKinds.RateLimited },
        { 400, ErrorKinds.ContextOverflow },
        { 500, ErrorKinds.Transient },
        { 529, ErrorKinds.Transient },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public async Task Upstream_failure_ends_the_stream_with_a_single_classified_error(int status, string kind)
    {
        _host.Server.Enqueue(AnthropicFixtures.MessagesRoute, status switch
        {
            401 => AnthropicFixtures.Unauthorized(),
            429 => AnthropicFixtures.RateLimited(),
            400 => AnthropicFixtures.PromptTooLong(),
            500 => AnthropicFixtures.ServerError(),
            _ => AnthropicFixtures.Overloaded(),
        });

        var events = await _host.StreamAsync(ProviderNames.Anthropic, Conversations.Hello(Model));

        var error = Assert.Single(events);
        Assert.Equal(StreamEventTypes.Error, error.Type);
        Assert.Equal(StopReasons.Error, error.Error!.StopReason);
        Assert.Equal(kind, error.Error.ErrorKind);
        Assert.Contains($"HTTP {status}", error.Error.ErrorMessage);
        Assert.Equal(ProviderNames.Anthropic, error.Error.Provider);
    }

    [Fact]
    public async Task Error_event_inside_an_accepted_stream_keeps_the_partial_content()
    {
        _host.Server.Enqueue(AnthropicFixtures.MessagesRoute, AnthropicFixtures.OverloadedMidStream());

        var events = await _host.StreamAsync(ProviderNames.Anthropic, Conversations.Hello(Model));

        Assert.Equal(["start", "text_start", "text_delta", "error"], events.Types());
        var error = events[^1].Error!;
        Assert.Equal(ErrorKinds.Transient, error.ErrorKind);
        Assert.Contains("overloaded", error.ErrorMessage, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Hel", error.Text);
    }

    [Fact]
    public async Task Cancelling_aborts_the_request_and_ends_with_an_aborted_error()
    {
        _host.Server.Enqueue(AnthropicFixtures.MessagesRoute, AnthropicFixtures.TextThenHang());
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var events = new List<AssistantMessageEvent>();

        await foreach (var e in _host.Provider(ProviderNames.Anthropic).StreamAsync(Conversations.Hello(Model), cts.Token))
        {
            events.Add(e);
            if (e.Type == StreamEventTypes.TextDelta)
            {
                await cts.CancelAsync();
            }
        }

        var last = events[^1];
        Assert.Equal(StreamEventTypes.Error, last.Type);
        Assert.Equal(StopReasons.Aborted, last.Error!.StopReason);
        Assert.Equal("Working", last.Error.Text);
        await _host.Server.ClientAborted.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Model_listing_reads_context_windows_from_the_api()
    {
        _host.Server.Enqueue(AnthropicFixtures.ModelsRoute, AnthropicFixtures.Models(("claude-sonnet-4-5", "Claude Sonnet 4.5", 1_000_000), ("claude-haiku-4-5", "Claude Haiku 4.5", null)));

        var models = await _host.Provider(ProviderNames.Anthropic).ListModelsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["claude-sonnet-4-5", "claude-haiku-4-5"], models.Select(m => m.Id));
        Assert.Equal("Claude Sonnet 4.5", models[0].DisplayName);
        Assert.Equal(1_000_000, models[0].ContextWindow);
        Assert.Equal(200_000, models[1].ContextWindow);
        Assert.Equal(64000, models[0].MaxOutputTokens);
        Assert.All(models, m => Assert.Equal(ProviderNames.Anthropic, m.Provider));
        // The original's enrichModel defaults for what a listing does not say.
        Assert.All(models, m => Assert.Equal(("anthropic-messages", "sse", true), (m.Api, Assert.Single(m.Transports!), m.SupportsTools)));
    }
}
