namespace Harness.Compaction;

/// <summary>Context compaction settings, bound from <c>Harness:Compaction</c>.</summary>
public sealed class CompactionOptions
{
    /// <summary>Turn pre-flight: compact before a model call when the estimate reaches this share of the model's window. Default 0.8.</summary>
    public double Threshold { get; set; } = 0.8;

    /// <summary>Turn pre-flight: messages kept verbatim after the summary. Default 4.</summary>
    public int KeepTailMessages { get; set; } = 4;

    /// <summary>Turn pre-flight: instruction given to the model that writes the summary.</summary>
    public string Instruction { get; set; } =
        "Summarise the conversation above so it can be continued without it: keep facts, decisions, open tasks, " +
        "function results that still matter and the user's preferences. Answer with the summary only.";

    /// <summary><c>COMPACT_TAIL_TURNS</c>: recent user-started turns kept verbatim by compact_now/compact_session. Default 2.</summary>
    public int TailTurns { get; set; } = 2;

    /// <summary><c>COMPACT_RESERVED_TOKENS</c>: taken off an explicit input limit to get the usable window. Default 20000.</summary>
    public long ReservedTokens { get; set; } = 20_000;

    /// <summary><c>COMPACT_PRESERVE_RECENT_TOKENS</c>: tail budget; default null = clamp(usable × 0.25, 2000, 8000).</summary>
    public long? PreserveRecentTokens { get; set; }

    /// <summary><c>COMPACT_TOOL_OUTPUT_MAX_CHARS</c>: function outputs are clipped to this in the summariser's input. Default 2000.</summary>
    public int ToolOutputMaxChars { get; set; } = 2000;

    /// <summary><c>COMPACT_BUSY_TIMEOUT_MS</c>: how long a compaction waits for one already running. Default 30 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the summariser's model call may take (then one grace second for the terminal event). Default 120 s.</summary>
    public TimeSpan SummaryTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Appended after a compaction that kept a replayed user message (compact_now).</summary>
    public string ContinuePrompt { get; set; } = "Continue if you have next steps, or stop and ask for clarification.";
}
