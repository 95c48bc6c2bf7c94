using Anthropic.Models.Messages;

namespace Harness.Providers;

/// <summary>
/// Translates a <see cref="ProviderRequest"/> into an Anthropic Messages request. Anthropic wants strictly alternating
/// turns, so consecutive user-side messages (user text, custom messages and <c>function_result</c>s, which become
/// <c>tool_result</c> blocks) are merged into one user message and consecutive assistant messages into one assistant
/// message. Thinking blocks are replayed only when they carry a signature (the API rejects unsigned ones).
/// </summary>
public static class AnthropicRequestBuilder
{
    /// <summary>Used when neither the request nor configuration gives max tokens (the API requires one).</summary>
    public const int FallbackMaxTokens = 8192;

    public static MessageCreateParams Build(ProviderRequest request, ToolNameMap names, ProviderConnection connection)
    {
        var thinkingBudget = ThinkingBudgets.TokensFor(request.ThinkingLevel);
        long maxTokens = connection.MaxTokens ?? FallbackMaxTokens;
        if (thinkingBudget is { } budget)
        {
            // max_tokens must exceed the thinking budget, with room left for the answer.
            maxTokens = Math.Max(maxTokens, budget + ThinkingBudgets.AnswerHeadroom);
        }
        var parameters = new MessageCreateParams
        {
            Model = request.Model,
            MaxTokens = maxTokens,
            Messages = Messages(request.Messages, names),
        };
        if (!string.IsNullOrWhiteSpace(request.SystemPrompt))
        {
            parameters = parameters with { System = request.SystemPrompt };
        }
        if (request.Tools.Count > 0)
        {
            parameters = parameters with { Tools = request.Tools.Select(t => (ToolUnion)Tool(t, names)).ToList() };
        }
        if (thinkingBudget is { } tokens)
        {
            parameters = parameters with { Thinking = new ThinkingConfigEnabled(tokens) };
        }
        return parameters;
    }

    public static List<MessageParam> Messages(IReadOnlyList<AgentMessage> messages, ToolNameMap names)
    {
        var result = new List<MessageParam>();
        List<ContentBlockParam>? user = null;
        List<ContentBlockParam>? assistant = null;

        void Flush()
        {
            if (user is { Count: > 0 })
            {
                result.Add(new UserMessageParam(user));
            }
            if (assistant is { Count: > 0 })
            {
                result.Add(new AssistantMessageParam(assistant));
            }
            user = null;
            assistant = null;
        }

        foreach (var message in messages)
        {
            switch (message.Role)
            {
                case Roles.User or Roles.Custom:
                    if (assistant is not null)
                    {
                        Flush();
                    }
                    (user ??= []).AddRange(UserBlocks(message));
                    break;
                case Roles.FunctionResult:
                    if (assistant is not null)
                    {
                        Flush();
                    }
                    (user ??= []).Add(ToolResult(message));
                    break;
                case Roles.Assistant:
                    if (user is not null)
                    {
                        Flush();
                    }
                    (assistant ??= []).AddRange(AssistantBlocks(message, names));
                    break;
            }
        }
        Flush();
        return result;
    }

    private static IEnumerable<ContentBlockParam> UserBlocks(AgentMessage message)
    {
        foreach (var block in message.Content)
        {
            if (block.Type == ContentTypes.Text && !string.IsNullOrEmpty(block.Text))
            {
                yield return new TextBlockParam(block.Text);
            }
            else if (block.Type == ContentTypes.Image && block.Data is { Length: > 0 } data)
            {
                yield return new ImageBlockParam(new Base64ImageSource { Data = data, MediaType = block.MimeType ?? "image/png" });
            }
        }
    }

    private static ContentBlockParam ToolResult(AgentMessage message)
    {
        var failed = message.IsError == true || FunctionResultText.IsDenied(message);
        return failed
            ? new ToolResultBlockParam(message.FunctionCallId ?? "") { Content = FunctionResultText.Render(message), IsError = true }
            : new ToolResultBlockParam(message.FunctionCallId ?? "") { Content = FunctionResultText.Render(message) };
    }

    private static IEnumerable<ContentBlockParam> AssistantBlocks(AgentMessage message, ToolNameMap names)
    {
        foreach (var block in message.Content)
        {
            switch (block.Type)
            {
                case ContentTypes.Thinking when !string.IsNullOrEmpty(block.Signature):
                    yield return new ThinkingBlockParam { Thinking = block.Text ?? "", Signature = block.Signature };
                    break;
                case ContentTypes.Text when !string.IsNullOrEmpty(block.Text):
                    yield return new TextBlockParam(block.Text);
                    break;
                case ContentTypes.FunctionCall:
                    yield return new ToolUseBlockParam
                    {
                        ID = block.Id ?? "",
                        Name = names.Upstream(block.FunctionId ?? ""),
                        Input = ObjectProperties(block.Arguments),
                    };
                    break;
            }
        }
    }

    private static Tool Tool(AgentFunction function, ToolNameMap names) => new()
    {
        Name = names.Upstream(function.Name),
        Description = function.Description,
        // FromRawUnchecked keeps the whole JSON schema ($defs, additionalProperties, …), not only type/properties/required.
        InputSchema = InputSchema.FromRawUnchecked(function.Parameters.ValueKind == JsonValueKind.Object
            ? ObjectProperties(function.Parameters)
            : ObjectProperties(WireJson.Parse("""{"type":"object","properties":{}}"""))),
    };

    private static Dictionary<string, JsonElement> ObjectProperties(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } obj
            ? obj.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
            : [];
}
