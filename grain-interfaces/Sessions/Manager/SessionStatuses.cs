namespace Harness.Sessions;

/// <summary>The session-manager status of a session (C4 console): only the driver or the console flips it.</summary>
public static class SessionStatuses
{
    public const string Idle = "idle";
    public const string Working = "working";
    public const string Done = "done";
    public const string Error = "error";

    public static readonly string[] All = [Idle, Working, Done, Error];
}
