namespace Harness.Bridge.Client;

/// <summary>An outgoing invocation failed: the engine or the target answered with an error, or we gave up (<c>TIMEOUT</c>).</summary>
public sealed class IiiInvocationException(string code, string message, string functionId, string? stacktrace = null)
    : Exception($"{code}: {message}")
{
    public string Code { get; } = code;

    public string Detail { get; } = message;

    public string FunctionId { get; } = functionId;

    /// <summary>The remote stack trace, when the target sent one.</summary>
    public string? RemoteStackTrace { get; } = stacktrace;
}
