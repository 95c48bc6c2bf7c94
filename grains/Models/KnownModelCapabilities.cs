namespace Harness.Models;

/// <summary>
/// Capability flags of well-known model families, for discovery APIs that do not report them. Longest matching id
/// prefix wins; a flag the provider already set is kept. Scripted models call functions, so they support tools.
/// </summary>
public static class KnownModelCapabilities
{
    private sealed record Flags(bool Thinking, bool Tools, bool Vision, bool Cache, bool Xhigh = false);

    private static readonly (string Prefix, Flags Flags)[] Table =
    [
        ("claude-", new(Thinking: true, Tools: true, Vision: true, Cache: true)),
        ("claude-3-5", new(Thinking: false, Tools: true, Vision: true, Cache: true)),
        ("claude-3-haiku", new(Thinking: false, Tools: true, Vision: true, Cache: true)),
        ("claude-3-opus", new(Thinking: false, Tools: true, Vision: true, Cache: true)),
        ("gpt-4o", new(Thinking: false, Tools: true, Vision: true, Cache: false)),
        ("gpt-4.1", new(Thinking: false, Tools: true, Vision: true, Cache: false)),
        ("gpt-5", new(Thinking: true, Tools: true, Vision: true, Cache: false)),
        ("o1", new(Thinking: true, Tools: true, Vision: false, Cache: false)),
        ("o3", new(Thinking: true, Tools: true, Vision: true, Cache: false)),
        ("o4-mini", new(Thinking: true, Tools: true, Vision: true, Cache: false)),
        ("kimi-", new(Thinking: false, Tools: true, Vision: false, Cache: false)),
        ("moonshot-", new(Thinking: false, Tools: true, Vision: false, Cache: false)),
    ];

    public static ModelInfo Apply(ModelInfo model)
    {
        if (model.Provider.Equals("scripted", StringComparison.OrdinalIgnoreCase))
        {
            return model with { SupportsTools = model.SupportsTools ?? true };
        }
        Flags? best = null;
        var bestLength = -1;
        foreach (var (prefix, flags) in Table)
        {
            if (prefix.Length > bestLength && model.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                best = flags;
                bestLength = prefix.Length;
            }
        }
        return best is null ? model : model with
        {
            SupportsThinking = model.SupportsThinking ?? best.Thinking,
            SupportsXhigh = model.SupportsXhigh ?? best.Xhigh,
            SupportsTools = model.SupportsTools ?? best.Tools,
            SupportsVision = model.SupportsVision ?? best.Vision,
            SupportsCache = model.SupportsCache ?? best.Cache,
        };
    }
}
