using Anthropic.Models.Messages;
using Usage = Harness.Messages.Usage;

namespace Harness.Providers;

/// <summary>
/// Turns Anthropic Messages stream events into spec §1.3 events: content blocks map 1:1 by their <c>index</c> (text,
/// thinking with its signature, tool_use whose <c>input_json_delta</c> fragments accumulate into the arguments);
/// usage comes from <c>message_start</c> and <c>message_delta</c>; the stop reason from <c>message_delta</c>.
/// Server-side tool and redacted-thinking blocks are skipped.
/// </summary>
internal sealed class AnthropicStreamTranslator(AssistantStreamBuilder builder, ToolNameMap names)
{
    private readonly Dictionary<int, string> _toolStartInput = [];
    private readonly HashSet<int> _toolSawDelta = [];
    private string? _stopReason;

    public List<AssistantMessageEvent> Apply(RawMessageStreamEvent streamEvent)
    {
        var events = new List<AssistantMessageEvent>();
        if (!builder.Started)
        {
            events.Add(builder.Start());
        }
        if (streamEvent.TryPickStart(out var start))
        {
            var usage = start.Message.Usage;
            builder.SetUsage(new Usage
            {
                Input = usage.InputTokens,
                Output = usage.OutputTokens,
                CacheRead = usage.CacheReadInputTokens,
                CacheWrite = usage.CacheCreationInputTokens,
            });
        }
        else if (streamEvent.TryPickContentBlockStart(out var blockStart))
        {
            OpenBlock(events, checked((int)blockStart.Index), blockStart.ContentBlock);
        }
        else if (streamEvent.TryPickContentBlockDelta(out var blockDelta))
        {
            AppendDelta(events, checked((int)blockDelta.Index), blockDelta.Delta);
        }
        else if (streamEvent.TryPickContentBlockStop(out var blockStop))
        {
            var slot = checked((int)blockStop.Index);
            // A tool_use whose full input came with its start (no deltas) still needs its arguments.
            if (_toolStartInput.TryGetValue(slot, out var input) && !_toolSawDelta.Contains(slot) && builder.IsOpen(slot))
            {
                events.Add(builder.Append(slot, input));
            }
            if (builder.Close(slot) is { } closed)
            {
                events.Add(closed);
            }
        }
        else if (streamEvent.TryPickDelta(out var messageDelta))
        {
            _stopReason = messageDelta.Delta.StopReason?.Raw() ?? _stopReason;
            var usage = messageDelta.Usage;
            builder.SetUsage(new Usage
            {
                Input = usage.InputTokens,
                Output = usage.OutputTokens,
                CacheRead = usage.CacheReadInputTokens,
                CacheWrite = usage.CacheCreationInputTokens,
            });
        }
        return events;
    }

    /// <summary>The closing events for a stream that ended normally.</summary>
    public IEnumerable<AssistantMessageEvent> Finish() => _stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => builder.Finish(StopReasons.Length),
        "tool_use" => builder.Finish(StopReasons.FunctionCall),
        "refusal" => builder.FinishRefused(new ProviderFailure(Messages.ErrorKinds.Permanent, "refusal: the model declined to answer")),
        // end_turn, stop_sequence, pause_turn, or a stream that ended without message_delta.
        _ => builder.Finish(builder.HasFunctionCalls ? StopReasons.FunctionCall : StopReasons.End),
    };

    private void OpenBlock(List<AssistantMessageEvent> events, int slot, RawContentBlockStartEventContentBlock block)
    {
        if (block.TryPickText(out var text))
        {
            events.Add(builder.Open(slot, ContentTypes.Text));
            if (!string.IsNullOrEmpty(text.Text))
            {
                events.Add(builder.Append(slot, text.Text));
            }
        }
        else if (block.TryPickThinking(out var thinking))
        {
            events.Add(builder.Open(slot, ContentTypes.Thinking));
            if (!string.IsNullOrEmpty(thinking.Thinking))
            {
                events.Add(builder.Append(slot, thinking.Thinking));
            }
            if (!string.IsNullOrEmpty(thinking.Signature))
            {
                builder.SetSignature(slot, thinking.Signature);
            }
        }
        else if (block.TryPickToolUse(out var toolUse))
        {
            events.Add(builder.Open(slot, ContentTypes.FunctionCall, toolUse.ID, names.FunctionId(toolUse.Name)));
            if (toolUse.Input is { Count: > 0 } input)
            {
                _toolStartInput[slot] = JsonSerializer.Serialize(input);
            }
        }
    }

    private void AppendDelta(List<AssistantMessageEvent> events, int slot, RawContentBlockDelta delta)
    {
        if (!builder.IsOpen(slot))
        {
            return; // a skipped block (server tool, redacted thinking)
        }
        if (delta.TryPickText(out var text) && !string.IsNullOrEmpty(text.Text))
        {
            events.Add(builder.Append(slot, text.Text));
        }
        else if (delta.TryPickThinking(out var thinking) && !string.IsNullOrEmpty(thinking.Thinking))
        {
            events.Add(builder.Append(slot, thinking.Thinking));
        }
        else if (delta.TryPickSignature(out var signature))
        {
            builder.SetSignature(slot, signature.Signature);
        }
        else if (delta.TryPickInputJson(out var json) && !string.IsNullOrEmpty(json.PartialJson))
        {
            _toolSawDelta.Add(slot);
            events.Add(builder.Append(slot, json.PartialJson));
        }
    }
}
