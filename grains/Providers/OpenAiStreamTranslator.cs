#pragma warning disable SCME0001 // JsonPatch (extra wire fields) is experimental in System.ClientModel.
using OpenAI.Chat;

namespace Harness.Providers;

/// <summary>
/// Turns OpenAI chat-completion chunks into spec §1.3 events: <c>reasoning_content</c> (or <c>reasoning</c>, sent by
/// local and Moonshot servers) becomes thinking, content becomes text, tool-call fragments are accumulated per
/// <c>index</c> into function_call blocks, and the finish reason becomes the stop reason.
/// </summary>
internal sealed class OpenAiStreamTranslator(AssistantStreamBuilder builder, ToolNameMap names)
{
    private static readonly byte[][] ReasoningPaths =
    [
        "$.choices[0].delta.reasoning_content"u8.ToArray(),
        "$.choices[0].delta.reasoning"u8.ToArray(),
    ];

    private readonly Dictionary<int, int> _toolSlots = [];
    private int _nextSlot;
    private int? _textSlot;
    private int? _thinkingSlot;
    private int? _toolSlot;
    private ChatFinishReason? _finish;

    public List<AssistantMessageEvent> Apply(StreamingChatCompletionUpdate update)
    {
        var events = new List<AssistantMessageEvent>();
        if (!builder.Started)
        {
            events.Add(builder.Start());
        }
        if (Reasoning(update) is { Length: > 0 } reasoning)
        {
            if (_thinkingSlot is not { } slot)
            {
                CloseText(events);
                CloseTool(events);
                slot = Open(events, ContentTypes.Thinking);
                _thinkingSlot = slot;
            }
            events.Add(builder.Append(slot, reasoning));
        }
        foreach (var part in update.ContentUpdate)
        {
            if (part.Kind != ChatMessageContentPartKind.Text || string.IsNullOrEmpty(part.Text))
            {
                continue;
            }
            if (_textSlot is not { } slot)
            {
                CloseThinking(events);
                CloseTool(events);
                slot = Open(events, ContentTypes.Text);
                _textSlot = slot;
            }
            events.Add(builder.Append(slot, part.Text));
        }
        foreach (var call in update.ToolCallUpdates)
        {
            if (!_toolSlots.TryGetValue(call.Index, out var slot))
            {
                CloseText(events);
                CloseThinking(events);
                CloseTool(events);
                var id = string.IsNullOrEmpty(call.ToolCallId) ? $"call_{Guid.NewGuid():N}" : call.ToolCallId;
                var name = string.IsNullOrEmpty(call.FunctionName) ? null : names.FunctionId(call.FunctionName);
                slot = Open(events, ContentTypes.FunctionCall, id, name);
                _toolSlots[call.Index] = slot;
                _toolSlot = slot;
            }
            else if (!string.IsNullOrEmpty(call.FunctionName))
            {
                builder.SetFunctionIdentity(slot, null, names.FunctionId(call.FunctionName));
            }
            if (call.FunctionArgumentsUpdate is { } args && args.ToString() is { Length: > 0 } fragment)
            {
                events.Add(builder.Append(slot, fragment));
            }
        }
        if (update.Usage is { } usage)
        {
            var cached = usage.InputTokenDetails?.CachedTokenCount ?? 0;
            builder.SetUsage(new Usage
            {
                // prompt_tokens includes cached tokens; they are reported apart so TotalTokens does not count them twice.
                Input = usage.InputTokenCount - cached,
                Output = usage.OutputTokenCount,
                CacheRead = cached > 0 ? cached : null,
            });
        }
        if (update.FinishReason is { } finish)
        {
            _finish = finish;
        }
        return events;
    }

    /// <summary>The closing events for a stream that ended normally.</summary>
    public IEnumerable<AssistantMessageEvent> Finish() => _finish switch
    {
        ChatFinishReason.ContentFilter => builder.FinishRefused(
            new ProviderFailure(Messages.ErrorKinds.Permanent, "content_filter: the upstream filtered the response")),
        ChatFinishReason.Length => builder.Finish(StopReasons.Length),
        ChatFinishReason.ToolCalls or ChatFinishReason.FunctionCall => builder.Finish(StopReasons.FunctionCall),
        // Some local servers report "stop" (or nothing) after tool calls.
        _ => builder.Finish(builder.HasFunctionCalls ? StopReasons.FunctionCall : StopReasons.End),
    };

    private int Open(List<AssistantMessageEvent> events, string type, string? id = null, string? functionId = null)
    {
        var slot = _nextSlot++;
        events.Add(builder.Open(slot, type, id, functionId));
        return slot;
    }

    private void CloseText(List<AssistantMessageEvent> events) => Close(events, ref _textSlot);

    private void CloseThinking(List<AssistantMessageEvent> events) => Close(events, ref _thinkingSlot);

    private void CloseTool(List<AssistantMessageEvent> events) => Close(events, ref _toolSlot);

    private void Close(List<AssistantMessageEvent> events, ref int? slot)
    {
        if (slot is { } s && builder.Close(s) is { } closed)
        {
            events.Add(closed);
        }
        slot = null;
    }

    private static string? Reasoning(StreamingChatCompletionUpdate update)
    {
        foreach (var path in ReasoningPaths)
        {
            try
            {
                if (update.Patch.TryGetValue(path, out string? value) && !string.IsNullOrEmpty(value))
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException)
            {
                // A JSON null or non-string value: no reasoning in this chunk.
            }
        }
        return null;
    }
}
