namespace Harness.Compaction;

/// <summary>The context does not fit the model's window and cannot be compacted further (terminal).</summary>
public sealed class ContextOverflowException(string message) : Exception(message);
