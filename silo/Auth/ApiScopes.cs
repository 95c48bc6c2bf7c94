namespace Harness.Silo.Auth;

/// <summary>
/// What an API key may do. A deployer grants each separately (a key lists the scopes it has):
/// <see cref="Sessions"/> runs and reads sessions, <see cref="Approvals"/> decides parked tool calls and changes
/// permission settings, <see cref="Admin"/> administers providers, budgets and models (and sees the dashboard).
/// </summary>
public static class ApiScopes
{
    /// <summary><c>run::*</c>, <c>turn::*</c>, <c>harness::trigger</c>, session reads and writes, the SSE event stream, model and provider listings.</summary>
    public const string Sessions = "sessions";

    /// <summary><c>approval::*</c>: resolve parked tool calls, permission modes and always-allow lists.</summary>
    public const string Approvals = "approvals";

    /// <summary><c>harness::provider::*</c> (keys, URLs, registration), <c>budget::*</c>, <c>models::*</c> writes, the dashboard, and every function no other scope names.</summary>
    public const string Admin = "admin";

    /// <summary>The claim type a key's scopes are issued under.</summary>
    public const string ClaimType = "scope";

    public static readonly IReadOnlyList<string> All = [Sessions, Approvals, Admin];

    /// <summary>Authorization policy name requiring <paramref name="scope"/>.</summary>
    public static string Policy(string scope) => $"scope:{scope}";
}
