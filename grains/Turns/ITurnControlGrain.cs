namespace Harness.Turns;

/// <summary>
/// Serial half of <c>run::abort</c>: <see cref="ITurnGrain.Abort"/> interleaves to cancel a running step, then queues
/// this call behind it so the abort transition never races the step's own write.
/// </summary>
public interface ITurnControlGrain : IGrainWithStringKey
{
    Task<RunAbortResult> AbortNow();
}
