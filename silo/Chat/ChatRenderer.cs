using System.Text.Json;
using Harness.Events;
using Harness.Messages;
using Harness.Serialization;
using Harness.Turns;

namespace Harness.Silo.Chat;

/// <summary>
/// Turns agent events into chat lines: streamed assistant text, tool calls and results, pending approvals (once per
/// call id), compaction, failures and the end of each run.
/// </summary>
public sealed class ChatRenderer(ChatConsole console)
{
    private const int MaxShown = 240;

    private readonly Lock _lock = new();
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);
    private bool _streaming;

    public void Render(AgentEvent evt)
    {
        lock (_lock)
        {
            switch (evt.Type)
            {
                case AgentEventTypes.MessageUpdate when evt.LlmEvent is { Type: StreamEventTypes.TextDelta, Delta: { Length: > 0 } delta }:
                    if (!_streaming)
                    {
                        console.Stream("assistant> ");
                        _streaming = true;
                    }
                    console.Stream(delta);
                    break;
                case AgentEventTypes.MessageComplete when evt.Message is { Role: Roles.Assistant } message:
                    Complete(message);
                    break;
                case AgentEventTypes.FunctionExecutionStart:
                    console.Line($"[call {evt.FunctionCallId}] {evt.FunctionId} {Compact(evt.Args)}");
                    break;
                case AgentEventTypes.FunctionExecutionEnd:
                    var text = evt.Result is { } result ? string.Concat(result.Content.Select(c => c.Text)) : "";
                    console.Line($"[{(evt.IsError == true ? "failed" : "result")} {evt.FunctionCallId}] {Shorten(text)} ({evt.DurationMs ?? 0} ms)");
                    break;
                case AgentEventTypes.TurnStateChanged when evt.NewValue is { } view:
                    ShowState(view, announceIdle: false);
                    break;
                case AgentEventTypes.CompactionDone:
                    console.Line($"[compacted] {evt.TokensBefore} tokens summarised into entry {evt.CompactionEntryId}");
                    break;
                case AgentEventTypes.AgentEnd:
                    EndStream();
                    console.Line("[done]");
                    break;
            }
        }
    }

    /// <summary>Shows what a human must act on in <paramref name="view"/>: new pending approvals, or the failure.</summary>
    public void ShowState(TurnStateView view, bool announceIdle)
    {
        lock (_lock)
        {
            if (view.State == TurnStates.FunctionAwaitingApproval)
            {
                foreach (var pending in view.AwaitingApproval ?? [])
                {
                    if (_announced.Add(pending.FunctionCallId) || announceIdle)
                    {
                        EndStream();
                        console.Line($"[approval needed {pending.FunctionCallId}] {pending.FunctionId} {Compact(pending.Args)}");
                        console.Line($"  /approve {pending.FunctionCallId}   or   /deny {pending.FunctionCallId} [reason]");
                    }
                }
            }
            else if (view.State == TurnStates.Failed && view.Error is { } error)
            {
                EndStream();
                console.Line($"[failed] {error.Kind}: {error.Message}");
            }
            else if (announceIdle)
            {
                console.Line($"[state] {view.State}, turn {view.TurnCount}");
            }
        }
    }

    private void Complete(AgentMessage message)
    {
        var streamed = _streaming;
        EndStream();
        if (message.StopReason is StopReasons.Error or StopReasons.Aborted)
        {
            console.Line($"[{message.StopReason}] {message.ErrorMessage ?? message.Text}");
        }
        else if (!streamed && message.Text.Length > 0)
        {
            // Not streamed: a synthetic message, or an answer stored before a crash and replayed.
            console.Line($"assistant> {message.Text}");
        }
    }

    private void EndStream()
    {
        if (_streaming)
        {
            console.EndStream();
            _streaming = false;
        }
    }

    private static string Compact(JsonElement? json) => json is { ValueKind: not JsonValueKind.Undefined } j ? Shorten(j.GetRawText()) : "";

    private static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= MaxShown ? oneLine : oneLine[..MaxShown] + "…";
    }
}
