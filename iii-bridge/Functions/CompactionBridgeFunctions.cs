using Harness.Compaction;

namespace Harness.Bridge.Functions;

/// <summary>
/// The <c>context-compaction</c> worker (console-and-data §3.2): <c>compact_now</c> (sync path, with replay and continue
/// prompt) and <c>compact_session</c> (the console's <c>/compact</c>), both answering the
/// <c>ok | busy | overflow | empty</c> union. Each call goes to the session's <see cref="ICompactionGrain"/>.
/// </summary>
public sealed class CompactionBridgeFunctions(IGrainFactory grains) : IBridgeFunctionSource
{
    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<CompactNowRequest, CompactionOutcome>(
            "context-compaction::compact_now",
            "Summarise a session now: prunes old tool outputs, then summarises. When last_user_message_id names a user entry it is kept out of the summary, appended again after the compaction and followed by a continue prompt. projected_tokens is accepted and not used (as the original). busy while a turn or another compaction runs.",
            (request, _, _) => grains.GetGrain<ICompactionGrain>(request.Validate()).CompactNow(request),
            requestFormat: BridgeSchemas.For<CompactNowRequest>().Require("session_id"),
            responseFormat: OutcomeSchema());

        yield return BridgeFunction.Create<CompactSessionRequest, CompactionOutcome>(
            "context-compaction::compact_session",
            "The console's /compact: summarise a session now (no replay). The model limit comes from model.limit, else the catalog, the session's last assistant, its run request, or a 32000-token fallback.",
            (request, _, _) => grains.GetGrain<ICompactionGrain>(request.Validate()).CompactSession(request),
            requestFormat: BridgeSchemas.For<CompactSessionRequest>().Require("session_id"),
            responseFormat: OutcomeSchema());
    }

    private static JsonNode OutcomeSchema() =>
        BridgeSchemas.For<CompactionOutcome>().Enum("status", [CompactionOutcome.Ok, CompactionOutcome.Busy, CompactionOutcome.Overflow, CompactionOutcome.Empty]);
}
