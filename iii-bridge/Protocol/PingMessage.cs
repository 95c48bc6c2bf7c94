namespace Harness.Bridge.Protocol;

/// <summary>JSON-level liveness probe; answered with <see cref="PongMessage"/>.</summary>
public sealed record PingMessage : IiiMessage;
