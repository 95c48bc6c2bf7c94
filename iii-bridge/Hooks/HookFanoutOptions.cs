namespace Harness.Bridge.Hooks;

/// <summary>Settings of <c>hook-fanout</c> (the original's <c>hook_fanout</c> section), bound from <c>Harness:HookFanout</c>.</summary>
public sealed class HookFanoutOptions
{
    public const string SectionName = "Harness:HookFanout";

    /// <summary>Deadline when a request gives no <c>timeout_ms</c>. Default 10 000 ms.</summary>
    public int DefaultTimeoutMs { get; set; } = 10_000;

    /// <summary>Smallest deadline honoured. Default 50 ms.</summary>
    public int MinTimeoutMs { get; set; } = 50;

    /// <summary>Stop collecting this long after the last reply when a request gives no <c>quiescence_ms</c> (0 = off). Default 200 ms.</summary>
    public int QuiescenceMs { get; set; } = 200;

    /// <summary>How often the reply stream is read while collecting. Default 20 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How long the answer of "does anyone subscribe to <c>agent::after_function_call</c>?" (<c>engine::registered-triggers::list</c>)
    /// is reused by the turn's after-hook. Default 30 s, as in the original; zero asks every time.
    /// </summary>
    public TimeSpan SubscriberCacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline of the turn's after-hook collection. Default 500 ms, as in v0.5.</summary>
    public int AfterHookTimeoutMs { get; set; } = 500;
}
