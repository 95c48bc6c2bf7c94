using System.Text;

namespace Harness.Providers;

/// <summary>
/// Upstream APIs only accept tool names matching <c>^[a-zA-Z0-9_-]{1,64}$</c>, while function ids may contain
/// <c>::</c>. Unsafe names are rewritten (invalid characters → <c>_</c>, clipped, de-duplicated) and mapped back when
/// the model calls them, so the harness always sees its own function ids.
/// </summary>
public sealed class ToolNameMap
{
    private const int MaxLength = 64;

    private readonly Dictionary<string, string> _toUpstream = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _toFunction = new(StringComparer.Ordinal);

    public ToolNameMap(IEnumerable<string> functionIds)
    {
        foreach (var id in functionIds)
        {
            Upstream(id);
        }
    }

    /// <summary>The name sent upstream for <paramref name="functionId"/> (registered on first use).</summary>
    public string Upstream(string functionId)
    {
        if (_toUpstream.TryGetValue(functionId, out var known))
        {
            return known;
        }
        var baseName = Sanitize(functionId);
        var name = baseName;
        for (var n = 2; _toFunction.ContainsKey(name); n++)
        {
            var suffix = $"_{n}";
            name = baseName[..Math.Min(baseName.Length, MaxLength - suffix.Length)] + suffix;
        }
        _toUpstream[functionId] = name;
        _toFunction[name] = functionId;
        return name;
    }

    /// <summary>The function id for a tool name the model used (unknown names pass through).</summary>
    public string FunctionId(string upstreamName) => _toFunction.GetValueOrDefault(upstreamName, upstreamName);

    private static string Sanitize(string id)
    {
        var sb = new StringBuilder(Math.Min(id.Length, MaxLength));
        foreach (var c in id)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
            if (sb.Length == MaxLength)
            {
                break;
            }
        }
        return sb.Length == 0 ? "tool" : sb.ToString();
    }
}
