using Harness.Serialization;

namespace Harness.Bridge.Hooks;

/// <summary>The three merge rules of <c>hook-fanout::publish_collect</c> (harness-core §7).</summary>
public static class HookMergeRules
{
    public const string FirstBlockWins = "first_block_wins";
    public const string FieldMerge = "field_merge";
    public const string PipelineLastWins = "pipeline_last_wins";

    public static readonly string[] All = [FirstBlockWins, FieldMerge, PipelineLastWins];

    public static JsonElement Merge(string rule, JsonElement payload, IReadOnlyList<JsonElement> replies) => rule switch
    {
        FirstBlockWins => FirstBlock(replies),
        FieldMerge => Fields(payload, replies),
        PipelineLastWins => LastPipeline(payload, replies),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown merge rule"),
    };

    /// <summary>A shallow copy of the first reply with <c>block:true</c>, else <c>{block:false}</c>.</summary>
    private static JsonElement FirstBlock(IReadOnlyList<JsonElement> replies) =>
        replies.FirstOrDefault(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("block", out var b) && b.ValueKind == JsonValueKind.True) is { ValueKind: JsonValueKind.Object } blocked
            ? blocked.Clone()
            : WireJson.Parse("""{"block":false}""");

    /// <summary>From the payload: overlay each reply's <c>content</c>, shallow-merge <c>details</c>, overlay a boolean <c>terminate</c>.</summary>
    private static JsonElement Fields(JsonElement payload, IReadOnlyList<JsonElement> replies)
    {
        var merged = JsonNode.Parse(payload.ValueKind == JsonValueKind.Object ? payload.GetRawText() : "{}")!.AsObject();
        foreach (var reply in replies.Where(r => r.ValueKind == JsonValueKind.Object))
        {
            if (reply.TryGetProperty("content", out var content))
            {
                merged["content"] = JsonNode.Parse(content.GetRawText());
            }
            if (reply.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object)
            {
                if (merged["details"] is not JsonObject into)
                {
                    into = [];
                    merged["details"] = into;
                }
                foreach (var property in details.EnumerateObject())
                {
                    into[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                }
            }
            if (reply.TryGetProperty("terminate", out var terminate) && terminate.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                merged["terminate"] = terminate.GetBoolean();
            }
        }
        return WireJson.Parse(merged.ToJsonString());
    }

    /// <summary>The last reply that is an array or has an array <c>messages</c> (that array), else the payload.</summary>
    private static JsonElement LastPipeline(JsonElement payload, IReadOnlyList<JsonElement> replies)
    {
        for (var i = replies.Count - 1; i >= 0; i--)
        {
            var reply = replies[i];
            if (reply.ValueKind == JsonValueKind.Array)
            {
                return reply.Clone();
            }
            if (reply.ValueKind == JsonValueKind.Object && reply.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
            {
                return messages.Clone();
            }
        }
        return payload.Clone();
    }
}
