namespace Harness.Sessions;

/// <summary>
/// <c>context-compaction::prune_tool_outputs</c> settings, bound from <c>Harness:Compaction:Prune</c> (the original's
/// <c>COMPACT_PRUNE_*</c> variables). Non-positive numbers fall back to the defaults.
/// </summary>
public sealed class ToolOutputPruneOptions
{
    public const string SectionName = "Harness:Compaction:Prune";

    /// <summary>The newest function-result tokens that are never pruned. Default 40000.</summary>
    public int ProtectTokens { get; set; } = 40000;

    /// <summary>Prune only when it frees at least this many tokens. Default 20000.</summary>
    public int MinFreeTokens { get; set; } = 20000;

    /// <summary>Function ids whose results are never pruned.</summary>
    public List<string> ProtectedTools { get; set; } = [];

    /// <summary>How long a prune holds the session's <c>prune</c> lease at most. Default 300 s.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(300);
}
