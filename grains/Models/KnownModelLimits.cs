namespace Harness.Models;

/// <summary>
/// Context windows of well-known model families, for discovery APIs that do not report them (OpenAI's
/// <c>GET /models</c> does not). Longest matching id prefix wins; unknown ids get null (pre-flight then skips).
/// </summary>
public static class KnownModelLimits
{
    private static readonly (string Prefix, long ContextWindow)[] Table =
    [
        ("gpt-4o", 128_000),
        ("gpt-4.1", 1_047_576),
        ("gpt-4-turbo", 128_000),
        ("gpt-4", 8_192),
        ("gpt-3.5-turbo", 16_385),
        ("gpt-5", 400_000),
        ("o1", 200_000),
        ("o3", 200_000),
        ("o4-mini", 200_000),
        ("claude-", 200_000),
        ("kimi-", 131_072),
        ("moonshot-v1-8k", 8_192),
        ("moonshot-v1-32k", 32_768),
        ("moonshot-v1-128k", 131_072),
        ("moonshot-", 131_072),
    ];

    public static long? ContextWindow(string modelId)
    {
        long? best = null;
        var bestLength = -1;
        foreach (var (prefix, window) in Table)
        {
            if (prefix.Length > bestLength && modelId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                best = window;
                bestLength = prefix.Length;
            }
        }
        return best;
    }
}
