using System.Runtime.CompilerServices;
using Harness.Models;
using Harness.Turns;

namespace Harness.Providers.Scripted;

/// <summary>
/// A real provider behind the registry that replays a JSON script of stream events instead of calling a model.
/// Used by tests and the README demo; the model name picks the script.
/// </summary>
public sealed class ScriptedProvider(ScriptLibrary library, TimeProvider time) : IDescribedModelProvider
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _thrown = new();

    /// <summary>The last request per model: lets an operator (or a test) see exactly what the "model" was sent.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, ProviderRequest> LastRequests { get; } = new();

    public const string ProviderName = "scripted";

    public string Name => ProviderName;

    /// <summary>Lists its scripts as models, so the console's refresh reaches it like any listing provider.</summary>
    public ProviderDescriptor Descriptor { get; } = new() { Id = ProviderName, DisplayName = "Scripted", SupportsModelListing = true };

    public Task<ProviderConfigureResult> DescribeConfigurationAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new ProviderConfigureResult { Provider = ProviderName, Configured = true });

    public async IAsyncEnumerable<AssistantMessageEvent> StreamAsync(ProviderRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var script = library.Find(request.Model);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var message = AgentMessage.EmptyAssistant(Name, request.Model, now);
        if (script is null || script.Rounds.Count == 0)
        {
            yield return Error(message, $"no script for model '{request.Model}'", ErrorKinds.Permanent);
            yield break;
        }
        LastRequests[request.Purpose == ProviderRequest.SummaryPurpose ? request.Model + "#summary" : request.Model] = request;
        if (request.Purpose == ProviderRequest.SummaryPurpose)
        {
            var summary = script.Summary ?? $"summary of {request.Messages.Count - 1} messages";
            yield return new AssistantMessageEvent
            {
                Type = StreamEventTypes.Done,
                Message = message with { Content = [ContentBlock.OfText(summary)] },
            };
            yield break;
        }
        var roundIndex = Math.Min(request.Messages.Count(m => m.Role == Roles.Assistant), script.Rounds.Count - 1);
        var round = script.Rounds[roundIndex];
        var content = new List<ContentBlock>();
        string? stopReason = null;
        yield return new AssistantMessageEvent { Type = StreamEventTypes.Start, Partial = message };
        for (var index = 0; index < round.Events.Count; index++)
        {
            var step = round.Events[index];
            cancellationToken.ThrowIfCancellationRequested();
            switch (step.Type)
            {
                case "text":
                case "thinking":
                    var thinking = step.Type == "thinking";
                    var prefix = thinking ? "thinking" : "text";
                    content.Add(thinking ? ContentBlock.OfThinking("") : ContentBlock.OfText(""));
                    yield return Event(prefix + "_start", message = message with { Content = [.. content] });
                    foreach (var chunk in Chunks(step.Text ?? ""))
                    {
                        content[^1] = content[^1] with { Text = content[^1].Text + chunk };
                        yield return Event(prefix + "_delta", message = message with { Content = [.. content] }, chunk);
                    }
                    yield return Event(prefix + "_end", message);
                    break;
                case "function_call":
                    var args = new Dictionary<string, object?> { ["function"] = step.Function, ["payload"] = step.Payload ?? WireJson.Empty };
                    var json = WireJson.Serialize(args);
                    var block = ContentBlock.OfFunctionCall(step.Id ?? $"call-{content.Count}", step.Tool ?? AgentTriggerTool.Name, WireJson.Parse(json));
                    yield return Event(StreamEventTypes.FunctionCallStart, message);
                    yield return Event(StreamEventTypes.FunctionCallDelta, message, json);
                    content.Add(block);
                    yield return Event(StreamEventTypes.FunctionCallEnd, message = message with { Content = [.. content] });
                    break;
                case "usage":
                    var usage = new Usage { Input = step.Input, Output = step.Output, CostUsd = step.CostUsd };
                    message = message with { Usage = usage };
                    yield return new AssistantMessageEvent { Type = StreamEventTypes.Usage, Usage = usage, Partial = message };
                    break;
                case "stop":
                    stopReason = step.StopReason ?? StopReasons.End;
                    yield return new AssistantMessageEvent { Type = StreamEventTypes.Stop, StopReason = stopReason, Partial = message };
                    break;
                case "error":
                    yield return Error(message, step.Message ?? "scripted error", step.ErrorKind ?? ErrorKinds.Permanent);
                    yield break;
                case "delay":
                    await Task.Delay(TimeSpan.FromMilliseconds(step.Ms ?? 0), time, cancellationToken);
                    break;
                case "hang":
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    break;
                case "throw":
                    if (step.Times is { } times && _thrown.AddOrUpdate($"{request.Model}/{roundIndex}/{index}", 1, (_, n) => n + 1) > times)
                    {
                        break;
                    }
                    throw step.Transient == true
                        ? new TransientException(step.Message ?? "scripted transient failure")
                        : new InvalidOperationException(step.Message ?? "scripted failure");
                default:
                    throw new InvalidDataException($"unknown script event type '{step.Type}'");
            }
        }
        stopReason ??= content.Any(c => c.Type == ContentTypes.FunctionCall) ? StopReasons.FunctionCall : StopReasons.End;
        yield return new AssistantMessageEvent { Type = StreamEventTypes.Done, Message = message with { StopReason = stopReason } };
    }

    public Task<IReadOnlyList<ModelInfo>> ListModelsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ModelInfo>>([.. library.Models().Select(m => new ModelInfo
        {
            Id = m, Provider = Name, Api = Name, ContextWindow = library.Find(m)?.ContextWindow ?? 200_000,
        })]);

    private static AssistantMessageEvent Event(string type, AgentMessage partial, string? delta = null) =>
        new() { Type = type, Partial = partial, Delta = delta };

    private static AssistantMessageEvent Error(AgentMessage partial, string text, string kind) => new()
    {
        Type = StreamEventTypes.Error,
        Error = partial with { StopReason = StopReasons.Error, ErrorMessage = text, ErrorKind = kind },
    };

    /// <summary>Word-sized deltas, so streaming and coalescing are exercised.</summary>
    private static IEnumerable<string> Chunks(string text)
    {
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                yield return text[start..i];
                start = i;
            }
        }
    }
}
