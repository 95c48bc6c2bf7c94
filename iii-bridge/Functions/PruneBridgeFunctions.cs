using Harness.Sessions;
using Harness.Turns;

namespace Harness.Bridge.Functions;

/// <summary><c>context-compaction::prune_tool_outputs</c>, through the session worker's update_parts path.</summary>
public sealed class PruneBridgeFunctions(ToolOutputPruner pruner) : IBridgeFunctionSource
{
    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<SessionRequest, PruneResult>(
            "context-compaction::prune_tool_outputs",
            "Replace old function-result outputs with '[output pruned]': the newest 40000 tokens, the two latest user turns and protected tools are kept; only prunes when that frees 20000 tokens. busy:true while another prune of the session runs.",
            (request, _, _) => pruner.PruneAsync(request.Validate()),
            requestFormat: BridgeSchemas.For<SessionRequest>().Require("session_id"));
    }
}
