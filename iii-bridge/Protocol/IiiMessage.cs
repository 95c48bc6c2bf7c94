namespace Harness.Bridge.Protocol;

/// <summary>
/// One frame of the iii worker protocol (iii 0.22.1 <c>Message</c> enum): a JSON object tagged by the lowercased
/// variant name in <c>type</c>. Written through <see cref="IiiMessageSerializer"/>, which puts <c>type</c> first.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(RegisterFunctionMessage), IiiMessageTypes.RegisterFunction)]
[JsonDerivedType(typeof(UnregisterFunctionMessage), IiiMessageTypes.UnregisterFunction)]
[JsonDerivedType(typeof(RegisterTriggerTypeMessage), IiiMessageTypes.RegisterTriggerType)]
[JsonDerivedType(typeof(RegisterTriggerMessage), IiiMessageTypes.RegisterTrigger)]
[JsonDerivedType(typeof(UnregisterTriggerMessage), IiiMessageTypes.UnregisterTrigger)]
[JsonDerivedType(typeof(TriggerRegistrationResultMessage), IiiMessageTypes.TriggerRegistrationResult)]
[JsonDerivedType(typeof(InvokeFunctionMessage), IiiMessageTypes.InvokeFunction)]
[JsonDerivedType(typeof(InvocationResultMessage), IiiMessageTypes.InvocationResult)]
[JsonDerivedType(typeof(RegisterServiceMessage), IiiMessageTypes.RegisterService)]
[JsonDerivedType(typeof(WorkerRegisteredMessage), IiiMessageTypes.WorkerRegistered)]
[JsonDerivedType(typeof(ReattachMessage), IiiMessageTypes.Reattach)]
[JsonDerivedType(typeof(PingMessage), IiiMessageTypes.Ping)]
[JsonDerivedType(typeof(PongMessage), IiiMessageTypes.Pong)]
[JsonDerivedType(typeof(RegistrationRejectedMessage), IiiMessageTypes.RegistrationRejected)]
public abstract record IiiMessage
{
    /// <summary>The wire tag of this message.</summary>
    [JsonIgnore]
    public string Type => IiiMessageSerializer.TagOf(GetType());
}
