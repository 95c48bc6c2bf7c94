namespace Harness.Approvals;

/// <summary>Who denied a call, as written in <see cref="DenialEnvelope.DeniedBy"/>.</summary>
public static class DeniedBy
{
    public const string Permissions = "permissions";
    public const string User = "user";
    public const string GateUnavailable = "gate_unavailable";
}
