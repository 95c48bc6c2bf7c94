namespace Harness.Turns;

/// <summary>The record lacks fields its state requires (terminal: the turn fails).</summary>
public sealed class TurnStateInvariantException(string message) : Exception(message);
