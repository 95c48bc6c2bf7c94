namespace Harness.Sessions;

/// <summary>The two inbox queues drained by <c>steering_check</c>: steering first, then followup.</summary>
public static class InboxNames
{
    public const string Steering = "steering";
    public const string Followup = "followup";
    public static readonly string[] All = [Steering, Followup];
}
