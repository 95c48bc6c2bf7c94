using Harness.Approvals;
using Harness.Bridge.Events;
using Harness.ConsoleTurns;
using Harness.Events;

namespace Harness.Bridge.Functions;

/// <summary>
/// The C4 side of a successful <c>approval::resolve</c>: an allow with <c>access_duration</c> <c>session</c> grants the
/// function for the rest of the session (<see cref="IApprovalSettingsGrain.ApproveAlways"/>); <c>always</c> also stores an
/// allow rule in the <c>approval-gate</c> configuration (<see cref="IApprovalGateConfigGrain.AllowAlways"/>), which every
/// session's calls meet first. Then the call leaves the pending list and <c>approval::pending-resolved</c> fires.
/// </summary>
public sealed class ConsoleApprovalResolution(IGrainFactory grains, IConsoleTriggerPublisher triggers, TimeProvider time)
{
    public async Task AfterResolvedAsync(ApprovalResolveRequest request, string? functionId)
    {
        var sid = request.SessionId!;
        var callId = request.FunctionCallId!;
        var record = await grains.GetGrain<IPendingApprovalsGrain>(IPendingApprovalsGrain.Key).Remove(sid, callId);
        functionId ??= record?.FunctionId;
        if (request.Decision == ApprovalDecisions.Allow && request.AccessDuration is "session" or "always" && functionId is { Length: > 0 })
        {
            await grains.GetGrain<IApprovalSettingsGrain>(sid).ApproveAlways(functionId);
            if (request.AccessDuration == "always")
            {
                await grains.GetGrain<IApprovalGateConfigGrain>(IApprovalGateConfigGrain.Key).AllowAlways(functionId);
            }
        }
        if (record is null && functionId is null)
        {
            return;  // nothing was parked under that id (a repeated or stray resolve): nothing was resolved
        }
        var turnId = record?.TurnId ?? await grains.GetGrain<IConsoleTurnsGrain>(sid).CurrentTurnId() ?? "";
        triggers.Publish(ConsoleTriggerTypes.PendingResolved, sid, ConsoleApprovalEvents.Resolved(
            sid, turnId, callId, functionId ?? "", request.Decision!, request.Reason, time.GetUtcNow().ToUnixTimeMilliseconds()));
    }
}
