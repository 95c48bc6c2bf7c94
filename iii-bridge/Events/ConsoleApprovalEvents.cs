namespace Harness.Bridge.Events;

/// <summary>The <c>approval::pending-resolved</c> payload (console-and-data §1.6).</summary>
public static class ConsoleApprovalEvents
{
    public static JsonObject Resolved(string sessionId, string turnId, string functionCallId, string functionId, string outcome, string? reason, long at)
    {
        var payload = new JsonObject
        {
            ["function_call_id"] = functionCallId,
            ["function_id"] = functionId,
            ["session_id"] = sessionId,
            ["turn_id"] = turnId,
            ["outcome"] = outcome,
            ["resolved_at"] = at,
        };
        if (!string.IsNullOrEmpty(reason))
        {
            payload["reason"] = reason;
        }
        return payload;
    }
}
