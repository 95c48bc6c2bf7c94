namespace Harness.Turns;

/// <summary>A step failure worth retrying with backoff (spec <c>TransientError</c>); anything else fails the turn.</summary>
public sealed class TransientException(string message, Exception? inner = null) : Exception(message, inner);
