namespace Harness.Silo.Auth;

/// <summary>
/// <c>Harness.Silo hash-key</c>: prints a new random API key and the hash to configure for it; with a key on standard
/// input (<c>printf %s "$KEY" | Harness.Silo hash-key</c>) prints that key's hash only. The key is never an argument
/// (arguments show in process listings and shell history).
/// </summary>
public static class HashKeyCommand
{
    public static int Run(TextReader input, TextWriter output, bool inputRedirected)
    {
        if (inputRedirected && input.ReadToEnd().TrimEnd('\r', '\n') is { Length: > 0 } given)
        {
            output.WriteLine(ApiKeyHash.Compute(given));
            return 0;
        }
        var key = ApiKeyHash.NewKey();
        output.WriteLine($"key:  {key}");
        output.WriteLine($"hash: {ApiKeyHash.Compute(key)}");
        output.WriteLine("configure: Harness__Auth__Keys__<name>__Hash=<hash>, Harness__Auth__Keys__<name>__Scopes__0=sessions (also approvals, admin); give the key to the client (HARNESS_API_KEY for the chat)");
        return 0;
    }
}
