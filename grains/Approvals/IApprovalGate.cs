namespace Harness.Approvals;

/// <summary>
/// <c>consultBefore</c> (spec §4.5): human-only ids, session mode and grants, then the YAML policy with a
/// timeout; any policy failure denies with <c>gate_unavailable</c> (fail closed).
/// </summary>
public interface IApprovalGate
{
    /// <param name="call">The enveloped call (its arguments carry <c>session_id</c>).</param>
    Task<GateOutcome> ConsultAsync(FunctionCall call, CancellationToken cancellationToken);
}

/// <summary>Allow, Pending (park for a human) or Deny with the denial result the model will see.</summary>
public sealed record GateOutcome(GateOutcomeKind Kind, FunctionResult? Denial = null)
{
    public static GateOutcome Allow { get; } = new(GateOutcomeKind.Allow);
    public static GateOutcome Pending { get; } = new(GateOutcomeKind.Pending);
    public static GateOutcome Deny(FunctionResult denial) => new(GateOutcomeKind.Deny, denial);
}

public enum GateOutcomeKind { Allow, Deny, Pending }
