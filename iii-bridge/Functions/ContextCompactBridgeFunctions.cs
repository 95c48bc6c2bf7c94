using Harness.Compaction;

namespace Harness.Bridge.Functions;

/// <summary>
/// The context-manager's <c>context::compact</c> the C4 console's <c>/compact</c> calls, on the compaction grain of the
/// lease key (the session id), so it is exclusive with that session's other compactions and busy while its turn runs.
/// </summary>
public sealed class ContextCompactBridgeFunctions(IGrainFactory grains) : IBridgeFunctionSource
{
    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<ContextCompactRequest, ContextCompactReply>(
            "context::compact",
            "Summarise the older part of messages for model (limits.context_window sizes the kept tail; else the catalog). Stores nothing: answers {status:ok, summary, tail_start_index, tokens_before, tokens_after, used_prior_summary} | busy | empty | overflow. options.lease_key serialises one conversation's compactions.",
            (request, _, _) =>
            {
                request.Validate();
                var key = request.Options?.LeaseKey ?? $"context-compact-{Guid.NewGuid():N}";
                return grains.GetGrain<ICompactionGrain>(key).CompactWindow(request);
            },
            requestFormat: RequestSchema(),
            responseFormat: BridgeSchemas.For<ContextCompactReply>().Enum("status", [CompactionOutcome.Ok, CompactionOutcome.Busy, CompactionOutcome.Overflow, CompactionOutcome.Empty]));
    }

    /// <summary>messages and model are required, and so is model.id.</summary>
    private static JsonNode RequestSchema()
    {
        var schema = BridgeSchemas.For<ContextCompactRequest>().Require("messages", "model");
        schema["properties"]?["model"]?.Require("id");
        return schema;
    }
}
