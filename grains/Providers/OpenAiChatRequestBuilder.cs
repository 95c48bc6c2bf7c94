#pragma warning disable SCME0001 // JsonPatch (extra wire fields) is experimental in System.ClientModel.
#pragma warning disable OPENAI001 // reasoning_effort is marked "evaluation" in the SDK; it is a stable API field.
using System.Text.RegularExpressions;
using OpenAI.Chat;

namespace Harness.Providers;

/// <summary>
/// Translates a <see cref="ProviderRequest"/> into an OpenAI chat-completions request: the system prompt as a system
/// message, user/custom text (and images) as user messages, assistant text plus <c>function_call</c> blocks as one
/// assistant message with tool calls, each <c>function_result</c> as a tool message with its <c>tool_call_id</c>, and
/// every <see cref="AgentFunction"/> as a function tool with its JSON schema.
/// </summary>
public static partial class OpenAiChatRequestBuilder
{
    private static readonly BinaryData EmptyObjectSchema = BinaryData.FromString("""{"type":"object","properties":{}}""");

    public static List<ChatMessage> Messages(ProviderRequest request, ToolNameMap names, ProviderProfile profile)
    {
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(request.SystemPrompt))
        {
            messages.Add(new SystemChatMessage(request.SystemPrompt));
        }
        foreach (var message in request.Messages)
        {
            var converted = message.Role switch
            {
                Roles.User or Roles.Custom => User(message),
                Roles.Assistant => Assistant(message, names, profile),
                Roles.FunctionResult => new ToolChatMessage(message.FunctionCallId ?? "", FunctionResultText.Render(message)),
                _ => null,
            };
            if (converted is not null)
            {
                messages.Add(converted);
            }
        }
        return messages;
    }

    public static ChatCompletionOptions Options(ProviderRequest request, ToolNameMap names, ProviderProfile profile, ProviderConnection connection)
    {
        var options = new ChatCompletionOptions();
        foreach (var tool in request.Tools)
        {
            var schema = tool.Parameters.ValueKind == JsonValueKind.Object
                ? BinaryData.FromString(tool.Parameters.GetRawText())
                : EmptyObjectSchema;
            options.Tools.Add(ChatTool.CreateFunctionTool(names.Upstream(tool.Name), tool.Description, schema));
        }
        if (connection.MaxTokens is { } maxTokens)
        {
            options.MaxOutputTokenCount = maxTokens;
        }
        if (profile.SendsReasoningEffort && ReasoningModel().IsMatch(request.Model) && Effort(request.ThinkingLevel) is { } effort)
        {
            options.ReasoningEffortLevel = effort;
        }
        return options;
    }

    private static ChatMessage? User(AgentMessage message)
    {
        var parts = new List<ChatMessageContentPart>();
        foreach (var block in message.Content)
        {
            if (block.Type == ContentTypes.Text && !string.IsNullOrEmpty(block.Text))
            {
                parts.Add(ChatMessageContentPart.CreateTextPart(block.Text));
            }
            else if (block.Type == ContentTypes.Image && block.Data is { Length: > 0 } data)
            {
                parts.Add(ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(Convert.FromBase64String(data)), block.MimeType ?? "image/png"));
            }
        }
        return parts.Count switch
        {
            0 => null,
            1 when parts[0].Kind == ChatMessageContentPartKind.Text => new UserChatMessage(parts[0].Text),
            _ => new UserChatMessage(parts),
        };
    }

    private static ChatMessage? Assistant(AgentMessage message, ToolNameMap names, ProviderProfile profile)
    {
        var text = string.Concat(message.Content.Where(c => c.Type == ContentTypes.Text).Select(c => c.Text));
        var calls = message.Content
            .Where(c => c.Type == ContentTypes.FunctionCall)
            .Select(c => ChatToolCall.CreateFunctionToolCall(
                c.Id ?? "",
                names.Upstream(c.FunctionId ?? ""),
                BinaryData.FromString(c.Arguments is { ValueKind: not JsonValueKind.Undefined } args ? args.GetRawText() : "{}")))
            .ToList();
        if (calls.Count == 0 && text.Length == 0)
        {
            return null;
        }
        var assistant = calls.Count > 0 ? new AssistantChatMessage(calls) : new AssistantChatMessage(text);
        if (calls.Count > 0 && text.Length > 0)
        {
            assistant.Content.Add(ChatMessageContentPart.CreateTextPart(text));
        }
        var thinking = string.Concat(message.Content.Where(c => c.Type == ContentTypes.Thinking).Select(c => c.Text));
        if (profile.EchoesReasoningContent && calls.Count > 0 && thinking.Length > 0)
        {
            assistant.Patch.Set("$.reasoning_content"u8, thinking);
        }
        return assistant;
    }

    private static ChatReasoningEffortLevel? Effort(string? level) => level?.Trim().ToLowerInvariant() switch
    {
        "minimal" => ChatReasoningEffortLevel.Minimal,
        "low" => ChatReasoningEffortLevel.Low,
        "medium" => ChatReasoningEffortLevel.Medium,
        "high" or "xhigh" or "max" => ChatReasoningEffortLevel.High,
        _ => null,
    };

    // reasoning_effort is rejected by non-reasoning models, so it is only sent to o-series and gpt-5 ids.
    [GeneratedRegex("^(o\\d|gpt-5)", RegexOptions.IgnoreCase)]
    private static partial Regex ReasoningModel();
}
