namespace Harness.Bridge.Client;

/// <summary>An outgoing synchronous invoke waiting for its <c>invocationresult</c>.</summary>
internal sealed class PendingInvocation(Guid id, string functionId, byte[] frame)
{
    private static long _next;

    /// <summary>Creation order, so calls queued while disconnected go out in the order they were made.</summary>
    public long Order { get; } = Interlocked.Increment(ref _next);

    public Guid Id { get; } = id;

    public string FunctionId { get; } = functionId;

    public byte[] Frame { get; } = frame;

    /// <summary>Serial of the connection the frame went out on; 0 while it waits for a connection.</summary>
    public int SentOn { get; set; }

    public TaskCompletionSource<JsonElement> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
