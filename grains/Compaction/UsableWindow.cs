namespace Harness.Compaction;

/// <summary>Spec §3.2 threshold arithmetic: the usable window of a model and the tail budget derived from it.</summary>
public static class UsableWindow
{
    /// <summary>0 when the context is unknown (0); else input − reserved when an input limit is set, else context − output.</summary>
    public static long Of(ModelLimit limit, long reserved)
    {
        var context = limit.Context ?? 0;
        if (context <= 0)
        {
            return 0;
        }
        var input = limit.Input ?? 0;
        return input > 0 ? Math.Max(0, input - reserved) : Math.Max(0, context - (limit.Output ?? 0));
    }

    /// <summary>The configured tail budget, else clamp(⌊usable × 0.25⌋, 2000, 8000).</summary>
    public static long TailBudget(long usable, long? configured) =>
        configured is > 0 ? configured.Value : Math.Clamp(usable / 4, 2000, 8000);
}
