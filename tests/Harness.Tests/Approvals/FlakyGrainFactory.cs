using System.Reflection;

namespace Harness.Tests.Approvals;

/// <summary>
/// An <see cref="Orleans.IGrainFactory"/> over a real one that counts every call and fails the first
/// <see cref="FailFirst"/> of them (a silo that is briefly unreachable). Not sealed because <see cref="DispatchProxy"/>
/// derives from it.
/// </summary>
public class FlakyGrainFactory : DispatchProxy
{
    private Orleans.IGrainFactory? _inner;
    private int _calls;

    public int Calls => _calls;

    /// <summary>Calls that throw before the rest reach the real factory.</summary>
    public int FailFirst { get; set; }

    public static (Orleans.IGrainFactory Factory, FlakyGrainFactory Probe) Over(Orleans.IGrainFactory inner, int failFirst = 0)
    {
        var factory = Create<Orleans.IGrainFactory, FlakyGrainFactory>();
        var probe = (FlakyGrainFactory)(object)factory;
        probe._inner = inner;
        probe.FailFirst = failFirst;
        return (factory, probe);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (Interlocked.Increment(ref _calls) <= FailFirst)
        {
            throw new InvalidOperationException("silo unreachable");
        }
        try
        {
            return targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
