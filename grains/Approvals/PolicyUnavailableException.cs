namespace Harness.Approvals;

/// <summary>
/// The permission policy cannot answer (no file configured, file missing, unreadable or malformed).
/// The gate turns this into a <c>gate_unavailable</c> denial: the harness fails closed.
/// </summary>
public sealed class PolicyUnavailableException(string reason, Exception? innerException = null)
    : Exception(reason, innerException);
