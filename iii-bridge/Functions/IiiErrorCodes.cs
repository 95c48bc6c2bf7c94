namespace Harness.Bridge.Functions;

/// <summary>Error codes that appear in <c>ErrorBody.code</c> (iii-protocol §2.10) plus the harness' own.</summary>
public static class IiiErrorCodes
{
    /// <summary>No such function id (engine or SDK).</summary>
    public const string FunctionNotFound = "function_not_found";

    /// <summary>The handler threw.</summary>
    public const string InvocationFailed = "invocation_failed";

    /// <summary>The executing worker disconnected mid-call (engine).</summary>
    public const string InvocationStopped = "invocation_stopped";

    /// <summary>The client gave up waiting (client side only; the engine has no timeout).</summary>
    public const string Timeout = "TIMEOUT";

    /// <summary>Our socket dropped while the call was in flight; the engine drops results for a dead connection.</summary>
    public const string ConnectionLost = "connection_lost";

    /// <summary>The payload did not match the function's request format; the message names the field.</summary>
    public const string InvalidPayload = "invalid_payload";

    public const string TriggerRegistrationFailed = "trigger_registration_failed";
    public const string TriggerTypeNotFound = "trigger_type_not_found";
}
