namespace Harness.Tests.Bridge.StandIn;

/// <summary>An engine-originated invocation came back with an error body.</summary>
public sealed class StandInInvocationException(string code, string message) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;

    public string Detail { get; } = message;
}
