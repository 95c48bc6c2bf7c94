using Harness.Messages;
using Harness.Serialization;
using Harness.Turns;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Hooks;

/// <summary>
/// The v0.5 after-function-call hook (console-and-data §4) over the bus: when some worker subscribes to
/// <c>agent::after_function_call</c>, publishes <c>{function_call:{id, function_id, arguments}, result}</c> with the
/// <c>field_merge</c> rule and a 500 ms deadline, and adopts the merged reply when it has an array <c>content</c>
/// (details shallow-merged over the original's, <c>terminate</c> overlaid). Nothing is published without a subscriber.
/// </summary>
public sealed class AfterFunctionCallHook(HookFanout fanout, SubscriberPresence presence, IOptionsMonitor<HookFanoutOptions> options) : IAfterFunctionCallHook
{
    public const string Topic = "agent::after_function_call";

    public async Task<FunctionResult?> AfterAsync(string sessionId, FunctionCall call, FunctionResult result, CancellationToken cancellationToken)
    {
        if (!await presence.HasSubscriberAsync(Topic, cancellationToken))
        {
            return null;
        }
        var collected = await fanout.PublishCollectAsync(new PublishCollectRequest
        {
            Topic = Topic,
            Payload = WireJson.ToElement(new { function_call = new { id = call.Id, function_id = call.FunctionId, arguments = call.Arguments }, result }),
            MergeRule = HookMergeRules.FieldMerge,
            TimeoutMs = options.CurrentValue.AfterHookTimeoutMs,
        }, cancellationToken);
        var merged = collected.Merged;
        if (merged.ValueKind != JsonValueKind.Object || !merged.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        return new FunctionResult
        {
            Content = WireJson.Deserialize<List<ContentBlock>>(content) ?? [],
            Details = MergeDetails(result.Details, merged),
            Terminate = merged.TryGetProperty("terminate", out var terminate) && terminate.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? terminate.GetBoolean()
                : result.Terminate,
        };
    }

    private static JsonElement? MergeDetails(JsonElement? original, JsonElement merged)
    {
        if (!merged.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Object)
        {
            return original;
        }
        var into = original is { ValueKind: JsonValueKind.Object } o ? JsonNode.Parse(o.GetRawText())!.AsObject() : [];
        foreach (var property in details.EnumerateObject())
        {
            into[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }
        return WireJson.Parse(into.ToJsonString());
    }
}
