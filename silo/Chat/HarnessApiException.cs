namespace Harness.Silo.Chat;

/// <summary>An error answer of the HTTP API: <c>{error:{code, message, field}}</c> with a non-2xx status.</summary>
public sealed class HarnessApiException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}
