namespace Harness.Providers;

/// <summary>Maps the run's <c>thinking_level</c> to a thinking token budget; null/off/none/unknown disables thinking.</summary>
public static class ThinkingBudgets
{
    /// <summary>Output tokens kept for the answer on top of the thinking budget.</summary>
    public const int AnswerHeadroom = 4096;

    public static int? TokensFor(string? level) => level?.Trim().ToLowerInvariant() switch
    {
        "minimal" => 1024,
        "low" => 2048,
        "medium" => 8192,
        "high" => 16384,
        "xhigh" or "max" => 32768,
        _ => null,
    };
}
