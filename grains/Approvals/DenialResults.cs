namespace Harness.Approvals;

/// <summary>
/// The <see cref="FunctionResult"/>s the model sees for a denied call. Envelope denials are
/// <c>{content:[{type:"text", text: envelope.reason}], details: envelope, terminate:false}</c> (spec §2.9).
/// </summary>
public static class DenialResults
{
    /// <summary>A policy (or human-only) deny with the permissions envelope built from <paramref name="verdict"/>.</summary>
    public static FunctionResult Permissions(string functionId, PermissionVerdict verdict, JsonElement args)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        // A deny verdict always names its rule; fall back to the function id rather than print "matched rule ".
        var ruleId = string.IsNullOrEmpty(verdict.RuleId) ? functionId : verdict.RuleId;
        return FromEnvelope(DenialEnvelope.ForPermissions(functionId, ruleId, verdict.MatchedConstraint, args));
    }

    /// <summary>The gate could not decide; <paramref name="reason"/> is used verbatim (e.g. <c>policy unreachable: timeout</c>).</summary>
    public static FunctionResult GateUnavailable(string functionId, string reason, JsonElement? args = null) =>
        FromEnvelope(DenialEnvelope.ForGateUnavailable(functionId, reason, args));

    /// <summary>A call outside the run's dispatch policy (C4 <c>options.functions</c>): refused before the gate is asked.</summary>
    public static FunctionResult OutsidePolicy(string functionId)
    {
        var text = $"Function {functionId} is not allowed in this turn (options.functions)";
        var details = WireJson.ToElement(new Dictionary<string, object>
        {
            ["error"] = "function_not_allowed",
            ["function"] = functionId,
        });
        return new FunctionResult { Content = [ContentBlock.OfText(text)], Details = details };
    }

    /// <summary>Spec <c>denialResultFromDecision</c>: the result of a call a human denied or aborted.</summary>
    public static FunctionResult FromDecision(ApprovalDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var aborted = decision.Decision == ApprovalDecisions.Aborted;
        var reason = decision.Reason ?? (aborted ? "session_aborted" : "denied");
        var text = aborted ? $"Function call aborted: {reason}" : $"Permission denied by user: {reason}";
        var details = WireJson.ToElement(new Dictionary<string, object>
        {
            ["approval_denied"] = true,
            ["decision"] = decision.Decision,
            ["reason"] = reason,
        });
        return new FunctionResult { Content = [ContentBlock.OfText(text)], Details = details, Terminate = aborted };
    }

    private static FunctionResult FromEnvelope(DenialEnvelope envelope) => new()
    {
        Content = [ContentBlock.OfText(envelope.Reason)],
        Details = WireJson.ToElement(envelope),
        Terminate = false,
    };
}
