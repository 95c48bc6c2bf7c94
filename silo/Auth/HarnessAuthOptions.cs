namespace Harness.Silo.Auth;

/// <summary>
/// API keys of the HTTP API, bound from <c>Harness:Auth</c>. With no keys and every listening address on loopback the
/// API is open to loopback clients (the local demo); bound beyond loopback the silo refuses to start without a key.
/// </summary>
public sealed class HarnessAuthOptions
{
    public const string Section = "Harness:Auth";

    /// <summary>Keys by name (the name is what logs and the principal show; the key itself never appears).</summary>
    public Dictionary<string, ApiKeyEntry> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Configuration mistakes (bad hash, unknown scope, no scope), each naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (name, entry) in Keys)
        {
            var path = $"{Section}:Keys:{name}";
            if (ApiKeyHash.Parse(entry.Hash) is null)
            {
                problems.Add($"{path}:Hash must be '{ApiKeyHash.Prefix}' followed by 64 hex digits (make one with: Harness.Silo hash-key)");
            }
            if (entry.Scopes.Count == 0)
            {
                problems.Add($"{path}:Scopes is empty (grant any of: {string.Join(", ", ApiScopes.All)})");
            }
            foreach (var scope in entry.Scopes.Where(s => !ApiScopes.All.Contains(s)))
            {
                problems.Add($"{path}:Scopes has unknown scope '{scope}' (known: {string.Join(", ", ApiScopes.All)})");
            }
        }
        return problems;
    }
}
