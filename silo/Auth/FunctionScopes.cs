namespace Harness.Silo.Auth;

/// <summary>
/// The one table mapping function ids to the scope <c>POST /v1/functions/{function_id}</c> needs. An entry ending in
/// <c>::</c> is a prefix, any other entry an exact id; the longest match wins and an id nothing matches needs
/// <see cref="ApiScopes.Admin"/> (a function added later is closed until someone decides who may call it).
/// </summary>
public static class FunctionScopes
{
    public static readonly IReadOnlyList<(string Match, string Scope)> Table =
    [
        ("run::", ApiScopes.Sessions),
        ("turn::", ApiScopes.Sessions),
        ("harness::trigger", ApiScopes.Sessions),
        ("session-tree::", ApiScopes.Sessions),
        ("session-inbox::", ApiScopes.Sessions),
        ("context-compaction::", ApiScopes.Sessions),
        // Reads a runner needs to pick a provider and model.
        ("models::list", ApiScopes.Sessions),
        ("models::get", ApiScopes.Sessions),
        ("models::supports", ApiScopes.Sessions),
        ("harness::provider::list", ApiScopes.Sessions),
        ("approval::", ApiScopes.Approvals),
        ("harness::provider::", ApiScopes.Admin),
        ("models::", ApiScopes.Admin),
        ("budget::", ApiScopes.Admin),
    ];

    public static string For(string functionId)
    {
        var best = (Length: -1, Scope: ApiScopes.Admin);
        foreach (var (match, scope) in Table)
        {
            var hit = match.EndsWith("::", StringComparison.Ordinal)
                ? functionId.StartsWith(match, StringComparison.Ordinal)
                : functionId == match;
            if (hit && match.Length > best.Length)
            {
                best = (match.Length, scope);
            }
        }
        return best.Scope;
    }
}
