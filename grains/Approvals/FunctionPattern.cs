namespace Harness.Approvals;

/// <summary>
/// The <c>function</c> of a rule: an exact id, or a glob where <c>*</c> matches any run of characters
/// and everything else is literal, anchored at both ends (<c>shell::*</c> does not match <c>Xshell::exec</c>).
/// </summary>
public sealed class FunctionPattern
{
    private readonly bool _isGlob;

    public FunctionPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        Pattern = pattern;
        _isGlob = pattern.Contains('*');
    }

    public string Pattern { get; }

    public bool Matches(string functionId)
    {
        if (!_isGlob)
        {
            return string.Equals(Pattern, functionId, StringComparison.Ordinal);
        }
        // The original compiles globs to a JS regex whose `.` stops at line terminators, so an id
        // carrying one can never satisfy a glob; keep that, it stops "shell::x\n..." smuggling.
        return functionId.AsSpan().IndexOfAny(LineTerminators) < 0 && WildcardMatch(Pattern, functionId);
    }

    public override string ToString() => Pattern;

    private const string LineTerminators = "\n\r\u2028\u2029";

    // Iterative glob match with single-star backtracking: linear in practice, no regex, no ReDoS.
    private static bool WildcardMatch(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
