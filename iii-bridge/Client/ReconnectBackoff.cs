using Harness.Bridge.Hosting;

namespace Harness.Bridge.Client;

/// <summary>Exponential reconnect delay with symmetric jitter (the SDKs' policy: 1 s doubling to 30 s, ±30 %).</summary>
public static class ReconnectBackoff
{
    /// <param name="attempt">0 for the first retry after a drop.</param>
    /// <param name="unitRandom">A value in [0, 1).</param>
    public static TimeSpan Delay(int attempt, IiiBridgeOptions options, double unitRandom)
    {
        var initial = Math.Max(0, options.ReconnectInitialDelay.TotalMilliseconds);
        var max = Math.Max(initial, options.ReconnectMaxDelay.TotalMilliseconds);
        var capped = Math.Min(initial * Math.Pow(2, Math.Min(attempt, 30)), max);
        var jitter = capped * Math.Clamp(options.ReconnectJitter, 0, 1) * ((2 * unitRandom) - 1);
        return TimeSpan.FromMilliseconds(Math.Max(0, capped + jitter));
    }
}
