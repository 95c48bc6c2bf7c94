namespace Harness.Bridge.Protocol;

/// <summary>Answer to <see cref="PingMessage"/>; ignored on receipt.</summary>
public sealed record PongMessage : IiiMessage;
