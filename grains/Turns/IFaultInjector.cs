namespace Harness.Turns;

/// <summary>
/// Named crash points inside a turn (chaos testing). The configured implementation kills the process at a point
/// listed in <c>Harness:Faults:CrashAt</c>, exactly like <c>kill -9</c>.
/// </summary>
public interface IFaultInjector
{
    void At(string point);
}

/// <summary>Crashes the process (FailFast, no graceful shutdown) at the configured points.</summary>
public sealed class ConfiguredFaultInjector(Microsoft.Extensions.Options.IOptions<FaultOptions> options) : IFaultInjector
{
    private readonly HashSet<string> _points = [.. options.Value.CrashAt.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public void At(string point)
    {
        if (_points.Contains(point))
        {
            Environment.FailFast($"fault injection: crash at {point}");
        }
    }
}

/// <summary>Bound from <c>Harness:Faults</c>; empty in production.</summary>
public sealed class FaultOptions
{
    /// <summary>Comma-separated crash points, e.g. <c>after_save:assistant_streaming,before_invoke</c>. Default empty.</summary>
    public string CrashAt { get; set; } = "";
}
