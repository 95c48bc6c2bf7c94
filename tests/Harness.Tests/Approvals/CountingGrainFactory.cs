using System.Reflection;

namespace Harness.Tests.Approvals;

/// <summary>
/// An <see cref="Orleans.IGrainFactory"/> that records every call and throws: proves "zero I/O" paths and lets a
/// settings read fail. Not sealed because <see cref="DispatchProxy"/> derives from it.
/// </summary>
public class CountingGrainFactory : DispatchProxy
{
    private int _calls;

    public int Calls => _calls;

    public static (Orleans.IGrainFactory Factory, CountingGrainFactory Probe) Create()
    {
        var factory = Create<Orleans.IGrainFactory, CountingGrainFactory>();
        return (factory, (CountingGrainFactory)(object)factory);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        Interlocked.Increment(ref _calls);
        throw new InvalidOperationException("silo unreachable");
    }
}
