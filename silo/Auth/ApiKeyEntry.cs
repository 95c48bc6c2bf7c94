namespace Harness.Silo.Auth;

/// <summary>One API key, bound from <c>Harness:Auth:Keys:&lt;name&gt;</c>: its hash (<see cref="ApiKeyHash"/>) and its scopes.</summary>
public sealed class ApiKeyEntry
{
    /// <summary><c>sha256:&lt;hex&gt;</c> of the key (produce it with <c>Harness.Silo hash-key</c>).</summary>
    public string? Hash { get; set; }

    /// <summary>Any of <c>sessions</c>, <c>approvals</c>, <c>admin</c> (<see cref="ApiScopes"/>).</summary>
    public List<string> Scopes { get; set; } = [];
}
