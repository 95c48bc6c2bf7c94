namespace Harness.Bridge.Protocol;

/// <summary>The <c>type</c> tags of the worker protocol (13 in iii 0.22.1, plus the HEAD-only rejection).</summary>
public static class IiiMessageTypes
{
    public const string RegisterFunction = "registerfunction";
    public const string UnregisterFunction = "unregisterfunction";
    public const string RegisterTriggerType = "registertriggertype";
    public const string RegisterTrigger = "registertrigger";
    public const string UnregisterTrigger = "unregistertrigger";
    public const string TriggerRegistrationResult = "triggerregistrationresult";
    public const string InvokeFunction = "invokefunction";
    public const string InvocationResult = "invocationresult";
    public const string RegisterService = "registerservice";
    public const string WorkerRegistered = "workerregistered";
    public const string Reattach = "reattach";
    public const string Ping = "ping";
    public const string Pong = "pong";

    /// <summary>Engine → worker at iii HEAD (0.23) only; parsed so a newer engine does not confuse us.</summary>
    public const string RegistrationRejected = "registrationrejected";
}
