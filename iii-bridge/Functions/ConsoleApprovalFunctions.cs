using Harness.Bridge.Functions.Payloads;
using Harness.ConsoleTurns;

namespace Harness.Bridge.Functions;

/// <summary><c>approval::list-pending</c> (console-and-data §1.6): the calls awaiting a human, per session or cluster-wide.</summary>
public sealed class ConsoleApprovalFunctions(IGrainFactory grains) : IBridgeFunctionSource
{
    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<ListPendingRequest, ListPendingResult>(
            "approval::list-pending",
            "Function calls awaiting approval (PendingApprovalRecord), oldest first: {session_id} for one session, or {limit} (default 500) across every session.",
            async (request, _, _) =>
            {
                var (session, limit) = request.Validate();
                return new ListPendingResult { Pending = await grains.GetGrain<IPendingApprovalsGrain>(IPendingApprovalsGrain.Key).List(session, limit) };
            },
            requestFormat: BridgeSchemas.For<ListPendingRequest>(),
            responseFormat: BridgeSchemas.For<ListPendingResult>().Require("pending"));
    }
}
