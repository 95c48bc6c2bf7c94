namespace Harness.Compaction;

/// <summary>Context compaction settings, bound from <c>Harness:Compaction</c>.</summary>
public sealed class CompactionOptions
{
    /// <summary>Compact before a model call when the estimate reaches this share of the model's window. Default 0.8.</summary>
    public double Threshold { get; set; } = 0.8;

    /// <summary>Messages kept verbatim after the summary. Default 4.</summary>
    public int KeepTailMessages { get; set; } = 4;

    /// <summary>Instruction given to the model that writes the summary.</summary>
    public string Instruction { get; set; } =
        "Summarise the conversation above so it can be continued without it: keep facts, decisions, open tasks, " +
        "function results that still matter and the user's preferences. Answer with the summary only.";
}
