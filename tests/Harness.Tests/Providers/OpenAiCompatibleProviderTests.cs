using System.Text.Json;
using Harness.Messages;
using Harness.Providers;
using Harness.Tests.Providers.Fakes;
using Xunit;

namespace Harness.Tests.Providers;

/// <summary>The OpenAI-compatible providers against a fake chat.completions server.</summary>
public sealed class OpenAiCompatibleProviderTests : IAsyncLifetime
{
    private ProviderTestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ProviderTestHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Text_answer_streams_start_text_usage_stop_and_done()
    {
        _host.Server.Enqueue(OpenAiFixtures.ChatRoute, OpenAiFixtures.TextAnswer());

        var events = await _host.StreamAsync(ProviderNames.OpenAi, Conversations.Hello());

        Assert.Equal(["start", "text_start", "text_delta", "text_delta", "text_end", "usage", "stop", "done"], events.Types());
        Assert.Equal(["Hel", "lo"], events.Where(e => e.Type == "text_delta").Select(e => e.Delta));
        Assert.All(events.Where(e => !e.IsTerminal), e => Assert.NotNull(e.Partial));
        Assert.Equal("Hel", events[2].Partial!.Text);
        Assert.Equal(new Usage { Input = 12, Output = 3 }, events[5].Usage);
        Assert.Equal(StopReasons.End, events[6].StopReason);

        var message = events[^1].Message!;
        Assert.Equal(Roles.Assistant, message.Role);
        Assert.Equal("Hello", message.Text);
        Assert.Equal(StopReasons.End, message.StopReason);
        Assert.Equal(ProviderNames.OpenAi, message.Provider);
        Assert.Equal("gpt-4o", message.Model);
        Assert.Equal(12, message.Usage!.Input);
        Assert.True(message.Timestamp > 0);
    }

    [Fact]
    public async Task Request_carries_model_system_prompt_tools_and_bearer_key()
    {
        _host.Server.Enqueue(OpenAiFixtures.ChatRoute, OpenAiFixtures.TextAnswer());

        await _host.StreamAsync(ProviderNames.OpenAi, Conversations.Hello());

        var request = Assert.Single(_host.Server.RequestsTo(OpenAiFixtures.ChatRoute));
        Assert.Equal($"Bearer {ProviderTestHost.KeyOf("openai")}", request.Header("authorization"));
        var body = request.Json;
        Assert.Equal("gpt-4o", body.GetProperty("model").GetString());
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        var messages = body.GetProperty("messages");
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal(Conversations.SystemPrompt, messages[0].GetProperty("content").GetString());
        Assert.Equal("user", messages[1].GetProperty("role").GetString());
        Assert.Equal("hi", messages[1].GetProperty("content").GetString());

        var tool = Assert.Single(body.GetProperty("tools").EnumerateArray());
        Assert.Equal("function", tool.GetProperty("type").GetString());
        var function = tool.GetProperty("function");
        Assert.Equal("agent_trigger", function.GetProperty("name").GetString());
        Assert.Equal(Conversations.AgentTrigger.Description, function.GetProperty("description").GetString());
        Assert.True(JsonElement.DeepEquals(Conversations.AgentTrigger.Parameters, function.GetProperty("parameters")));
    }

    [Fact]
    public async Task History_maps_tool_calls_and_tool_results_by_call_id()
    {
        _host.Server.Enqueue(OpenAiFixtures.ChatRoute, OpenAiFixtures.TextAnswer());

        await _host.StreamAsync(ProviderNames.OpenAi, Conversations.AfterToolRound("gpt-4o"));

        var messages = Assert.Single(_host.Server.RequestsTo(OpenAiFixtures.ChatRoute)).Json.GetProperty("messages");
        Assert.Equal(["system", "user", "assistant", "tool", "tool", "user"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));

        var assistant = messages[2];
        Assert.Contains("Checking.", assistant.GetProperty("content").GetRawText());
        var calls = assistant.GetProperty("tool_calls");
        Assert.Equal(2, calls.GetArrayLength());
        Assert.Equal("call_1", calls[0].GetProperty("id").GetString());
        Assert.Equal("function", calls[0].GetProperty("type").GetString());
        Assert.Equal("agent_trigger", calls[0].GetProperty("function").GetProperty("name").GetString());
        var arguments = JsonDocument.Parse(calls[0].GetProperty("function").GetProperty("arguments").GetString()!).RootElement;
        Assert.Equal("shell::fs::ls", arguments.GetProperty("function").GetString());

        Assert.Equal("call_1", messages[3].GetProperty("tool_call_id").GetString());
        Assert.Equal("a.txt\nb.txt", ContentText(messages[3]));
        Assert.Equal("call_2", messages[4].GetProperty("tool_call_id").GetString());
        Assert.StartsWith("[PERMISSION_DENIED] Permission denied", ContentText(messages[4]));
        Assert.Equal("thanks, now summarize", ContentText(messages[5]));
    }

    [Fact]
    public async Task Tool_call_arguments_accumulate_into_one_function_call_block()
    {
        _host.Server.Enqueue(OpenAiFixtures.ChatRoute, OpenAiFixtures.ToolCall());

        var events = await _host.StreamAsync(ProviderNames.OpenAi, Conversations.Hello());

        Assert.Equal(
            ["start", "functioncall_start", "functioncall_delta", "functioncall_delta", "functioncall_delta", "functioncall_end", "usage", "stop", "done"],
            events.Types());
        Assert.Equal(StopReasons.FunctionCall, events.Single(e => e.Type == "stop").StopReason);
        var message = events[^1].Message!;
        Assert.Equal(StopReasons.FunctionCall, message.StopReason);
        var call = Assert.Single(message.Content);
        Assert.Equal(ContentTypes.FunctionCall, call.Type);
        Assert.Equal("call_abc", call.Id);
        Assert.Equal("agent_trigger", call.FunctionId);
        Assert.True(JsonElement.DeepEquals(Conversations.Json("""{"function":"shell::fs::ls","payload":{"path":"/tmp"}}"""), call.Arguments!.Value));
        Assert.Equal(new Usage { Input = 30, Output = 20, CacheRead = 10 }, message.Usage);
    }

    [Fact]
    public async Task Text_then_parallel_tool_calls_become_separate_blocks_in_order()
    {
        _host.Server.Enqueue(OpenAiFixtures.ChatRoute, OpenAiFixtures.TextThenTwoToolCalls());

        var events = await _host.StreamAsync(ProviderNames.OpenAi, Conversations.Hello());

        Assert.Equal(
            ["start", "text_start", "text_delta", "text_end",
             "functioncall_start", "functioncall_delta", "functioncall_end",
             "functioncall_start", "functioncall_delta", "functioncall_delta", "functioncall_end", "stop", "done"],
            events.Types());
        var content = events[^1].Message!.Content;
        Assert.Equal([ContentTypes.Text, ContentTypes.FunctionCall, ContentTypes.FunctionCall], content.Select(c => c.Type));
        Assert.Equal("b", content[2].Arguments!.Value.GetProperty("function").GetString());
    }

    [Fact]
    public async Task Reasoning_content_streams_as_thinking_and_length_maps_to_length()
    {
        _host.Server.Enqueue("POST /llamacpp/v1/chat/completions", OpenAiFixtures.ReasoningThenText());

        var events = await _host.StreamAsync(ProviderNames.LlamaCpp, Conversations.Hello("qwen3"));

        Assert.Equal(["start", "thinking_start", "thinking_delta", "thinking_delta", "thinking_end", "text_start", "text_delta", "text_end", "stop", "done"], events.Types());
        var message = events[^1].Message!;
        Assert.Equal(StopReasons.Length, message.StopReason);
        Assert.Equal("Let me think.", message.Content[0].Text);
        Assert.Equal("42", message.Text);
    }

    [Fact]
    public async Task Keyless_local_server_gets_a_placeholder_bearer()
    {
        _host.Server.Enqueue("POST /lmstudio/v1/chat/completions", OpenAiFixtures.TextAnswer());

        var events = await _host.StreamAsync(ProviderNames.LmStudio, Conversations.Hello("qwen3"));

        Assert.Equal("done", events[^1].Type);
        Assert.Equal("Bearer not-needed", Assert.Single(_host.Server.RequestsTo("POST /lmstudio/v1/chat/completions")).Header("authorization"));
    }

    [Fact]
    public async Task Content_filter_ends_with_stop_error_then_error_event()
    {
        _host.Server.Enqueue(OpenAiFixtures.ChatRoute, OpenAiFixtures.ContentFiltered());

        var events = await _host.StreamAsync(ProviderNames.OpenAi, Conversations.Hello());

        Assert.Equal(["start", "text_start", "text_delta", "text_end", "stop", "error"], events.Types());
        Assert.Equal(StopReasons.Error, events[^2].StopReason);
        Assert.Equal(StopReasons.Error, events[^1].Error!.StopReason);
        Assert.Equal(ErrorKinds.Permanent, events[^1].Error!.ErrorKind);
    }

    public static TheoryData<int, string> ErrorCases => new()
    {
        { 401, ErrorKinds.AuthExpired },
        { 429, ErrorKinds.RateLimited },
        { 400, ErrorKinds.ContextOverflow },
        { 500, ErrorKinds.Transient },
        { 404, ErrorKinds.Permanent },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public async Task Upstream_failure_ends_the_stream_with_a_single_classified_error(int status, string kind)
    {
        _host.Server.Enqueue(OpenAiFixtures.ChatRoute, status switch
        {
            401 => OpenAiFixtures.Unauthorized(),
            429 => OpenAiFixtures.RateLimited(),
            400 => OpenAiFixtures.ContextTooLong(),
            500 => OpenAiFixtures.ServerError(),
            _ => FakeResponse.Error(404, """{"error":{"message":"The model 'gpt-9' does not exist","type":"invalid_request_error","code":"model_not_found"}}"""),
        });

        var events = await _host.StreamAsync(ProviderNames.OpenAi, Conversations.Hello());

        var error = Assert.Single(events);
        Assert.Equal(StreamEventTypes.Error, error.Type);
        Assert.Equal(StopReasons.Error, error.Error!.StopReason);
        Assert.Equal(kind, error.Error.ErrorKind);
        Assert.Contains($"HTTP {status}", error.Error.ErrorMessage);
        Assert.Equal(ProviderNames.OpenAi, error.Error.Provider);
        Assert.Equal("gpt-4o", error.Error.Model);
    }

    [Fact]
    public async Task Bad_request_without_context_text_is_permanent()
    {
        _host.Server.Enqueue(OpenAiFixtures.ChatRoute, OpenAiFixtures.BadRequest());

        var error = Assert.Single(await _host.StreamAsync(ProviderNames.OpenAi, Conversations.Hello()));

        Assert.Equal(ErrorKinds.Permanent, error.Error!.ErrorKind);
    }

    [Fact]
    public async Task Error_message_never_contains_the_api_key_even_when_upstream_echoes_it()
    {
        _host.Server.Enqueue(OpenAiFixtures.ChatRoute, OpenAiFixtures.Unauthorized(echoedKey: ProviderTestHost.KeyOf("openai")));

        var error = Assert.Single(await _host.StreamAsync(ProviderNames.OpenAi, Conversations.Hello())).Error!;

        Assert.Equal(ErrorKinds.AuthExpired, error.ErrorKind);
        Assert.DoesNotContain(ProviderTestHost.KeyOf("openai"), error.ErrorMessage);
        Assert.Contains("***", error.ErrorMessage);
    }

    [Fact]
    public async Task Unreachable_server_is_transient()
    {
        await using var host = await ProviderTestHost.StartAsync(s => s["Harness:Providers:openai:BaseUrl"] = "http://127.0.0.1:9/v1");

        var error = Assert.Single(await host.StreamAsync(ProviderNames.OpenAi, Conversations.Hello())).Error!;

        Assert.Equal(ErrorKinds.Transient, error.ErrorKind);
    }

    [Fact]
    public async Task Invalid_options_end_the_stream_with_a_permanent_error_instead_of_throwing()
    {
        await using var host = await ProviderTestHost.StartAsync(s => s["Harness:Providers:openai:BaseUrl"] = "not a url");

        var error = Assert.Single(await host.StreamAsync(ProviderNames.OpenAi, Conversations.Hello())).Error!;

        Assert.Equal(ErrorKinds.Permanent, error.ErrorKind);
        Assert.Contains("BaseUrl", error.ErrorMessage);
    }

    [Fact]
    public async Task Invalid_image_data_ends_the_stream_with_a_permanent_error_instead_of_throwing()
    {
        var request = new ProviderRequest("gpt-4o", null,
            [new AgentMessage { Role = Roles.User, Content = [new ContentBlock { Type = ContentTypes.Image, Data = "%%%not-base64", MimeType = "image/png" }] }], []);

        var error = Assert.Single(await _host.StreamAsync(ProviderNames.OpenAi, request)).Error!;

        Assert.Equal(ErrorKinds.Permanent, error.ErrorKind);
        Assert.Empty(_host.Server.Requests);
    }

    [Fact]
    public async Task Missing_key_fails_with_auth_expired_without_calling_upstream()
    {
        await using var host = await ProviderTestHost.StartAsync(s =>
        {
            s["Harness:Providers:kimi:ApiKey"] = null;
            s["Harness:Providers:kimi:ApiKeyEnvironmentVariable"] = $"HARNESS_TEST_UNSET_{Guid.NewGuid():N}";
        });

        var error = Assert.Single(await host.StreamAsync(ProviderNames.Kimi, Conversations.Hello("kimi-k2"))).Error!;

        Assert.Equal(ErrorKinds.AuthExpired, error.ErrorKind);
        Assert.Contains("MOONSHOT_API_KEY", error.ErrorMessage);
        Assert.Empty(host.Server.Requests);
    }

    [Fact]
    public async Task Key_falls_back_to_the_environment_variable()
    {
        var variable = $"HARNESS_TEST_KEY_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "sk-from-environment");
        try
        {
            await using var host = await ProviderTestHost.StartAsync(s =>
            {
                s["Harness:Providers:kimi:ApiKey"] = null;
                s["Harness:Providers:kimi:ApiKeyEnvironmentVariable"] = variable;
            });
            host.Server.Enqueue("POST /kimi/v1/chat/completions", OpenAiFixtures.TextAnswer());

            await host.StreamAsync(ProviderNames.Kimi, Conversations.Hello("kimi-k2"));

            Assert.Equal("Bearer sk-from-environment", Assert.Single(host.Server.Requests).Header("authorization"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Retries_follow_the_configured_policy()
    {
        await using var host = await ProviderTestHost.StartAsync(s => s["Harness:Providers:openai:MaxRetries"] = "1");
        host.Server.Enqueue(OpenAiFixtures.ChatRoute, OpenAiFixtures.ServerError());
        host.Server.Enqueue(OpenAiFixtures.ChatRoute, OpenAiFixtures.TextAnswer());

        var events = await host.StreamAsync(ProviderNames.OpenAi, Conversations.Hello());

        Assert.Equal("done", events[^1].Type);
        Assert.Equal(2, host.Server.RequestsTo(OpenAiFixtures.ChatRoute).Count);
    }

    [Fact]
    public async Task Cancelling_aborts_the_request_and_ends_with_an_aborted_error()
    {
        _host.Server.Enqueue(OpenAiFixtures.ChatRoute, OpenAiFixtures.TextThenHang());
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var events = new List<AssistantMessageEvent>();

        await foreach (var e in _host.Provider(ProviderNames.OpenAi).StreamAsync(Conversations.Hello(), cts.Token))
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
        Assert.Null(last.Error.ErrorKind);
        Assert.Equal("Thinking about it", last.Error.Text);
        await _host.Server.ClientAborted.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Function_ids_that_are_not_valid_tool_names_are_sanitized_and_mapped_back()
    {
        _host.Server.Enqueue(OpenAiFixtures.ChatRoute, OpenAiFixtures.ToolCall(toolName: "shell__fs__ls"));
        var tool = Conversations.AgentTrigger with { Name = "shell::fs::ls" };

        var events = await _host.StreamAsync(ProviderNames.OpenAi, new ProviderRequest("gpt-4o", null, [AgentMessage.User("hi", 1)], [tool]));

        var sent = Assert.Single(_host.Server.Requests).Json.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString();
        Assert.Equal("shell__fs__ls", sent);
        Assert.Equal("shell::fs::ls", events[^1].Message!.Content.Single().FunctionId);
    }

    private static string ContentText(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }
}
