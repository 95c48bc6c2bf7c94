using System.Text.Json;
using Harness.Approvals;

namespace Harness.Tests.Approvals;

/// <summary>A policy answering from a delegate and counting calls.</summary>
public sealed class StubPermissionPolicy(Func<string, JsonElement, CancellationToken, Task<PermissionVerdict>> check) : IPermissionPolicy
{
    private int _calls;

    public int Calls => _calls;

    public Task<PermissionVerdict> CheckAsync(string functionId, JsonElement args, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return check(functionId, args, cancellationToken);
    }

    public static StubPermissionPolicy Returning(PermissionVerdict verdict) => new((_, _, _) => Task.FromResult(verdict));

    public static StubPermissionPolicy Returning(string decision) => Returning(Verdict(decision));

    public static StubPermissionPolicy Throwing(Exception exception) => new((_, _, _) => Task.FromException<PermissionVerdict>(exception));

    /// <summary>Never answers but honours cancellation.</summary>
    public static StubPermissionPolicy Hanging() => new(async (_, _, ct) =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    });

    /// <summary>Answers far too late and ignores cancellation.</summary>
    public static StubPermissionPolicy IgnoringCancellation() => new(async (_, _, _) =>
    {
        await Task.Delay(TimeSpan.FromSeconds(30));
        return Verdict(PermissionVerdict.Allow);
    });

    public static PermissionVerdict Verdict(string decision) => decision switch
    {
        PermissionVerdict.Allow => new PermissionVerdict { Decision = decision, RuleId = "yaml-allow" },
        PermissionVerdict.Deny => new PermissionVerdict { Decision = decision, RuleId = "yaml-deny", RuleAction = "deny" },
        _ => new PermissionVerdict { Decision = decision },
    };
}
