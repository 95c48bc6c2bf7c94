using Harness.Bridge.Functions;

namespace Harness.Bridge.Hooks;

/// <summary>Publishes <c>hook-fanout::publish_collect</c>; agents are refused it by the approval gate's kernel rules.</summary>
public sealed class HookFanoutFunctions(HookFanout fanout) : IBridgeFunctionSource
{
    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<PublishCollectRequest, PublishCollectResult>(
            "hook-fanout::publish_collect",
            "Publish {event_id, reply_stream:\"agent::hook_reply\", payload} to a topic's durable subscribers and merge their replies (first_block_wins | field_merge | pipeline_last_wins).",
            (request, _, ct) => fanout.PublishCollectAsync(request, ct),
            requestFormat: BridgeSchemas.For<PublishCollectRequest>().Require("topic", "merge_rule").Enum("merge_rule", HookMergeRules.All));
    }
}
