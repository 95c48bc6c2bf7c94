using System.Runtime.CompilerServices;

namespace Harness.Providers;

/// <summary>
/// The part every provider stream shares: resolve the connection, open the upstream stream, translate each update,
/// and turn any exception into the single terminal event — <c>error</c> with an <c>error_kind</c>, or <c>error</c> with
/// stop_reason <c>aborted</c> when the caller's token was cancelled. Nothing is thrown to the consumer.
/// </summary>
internal static class ProviderStreamPump
{
    /// <summary>The connection, or the failure to report (null failure and null connection = aborted).</summary>
    public static async Task<(ProviderConnection? Connection, ProviderFailure? Failure)> ConnectAsync(
        ProviderConnectionResolver resolver,
        ProviderProfile profile,
        CancellationToken cancellationToken)
    {
        ProviderConnection connection;
        try
        {
            connection = await resolver.ResolveAsync(profile, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, null);
        }
        catch (Exception ex)
        {
            // Invalid options surface here (options are validated when first read).
            return (null, new ProviderFailure(Messages.ErrorKinds.Permanent, $"provider '{profile.Name}' is misconfigured: {ex.Message}"));
        }
        return profile.RequiresApiKey && !connection.HasKey ? (null, MissingKey(profile)) : (connection, null);
    }

    public static ProviderFailure MissingKey(ProviderProfile profile) => new(
        Messages.ErrorKinds.AuthExpired,
        $"no API key configured for provider '{profile.Name}' (set {profile.ApiKeyEnvironmentVariable}, {ProviderOptions.SectionName}:{profile.Name}:ApiKey or configure the provider)");

    /// <summary>
    /// Runs <paramref name="open"/> (build the request and start the upstream stream), then <paramref name="apply"/>
    /// per update and <paramref name="finish"/> at the end. <paramref name="completed"/> is told how it ended (failure,
    /// aborted) before the terminal event is yielded, for logging.
    /// </summary>
    public static async IAsyncEnumerable<AssistantMessageEvent> RunAsync<TUpdate>(
        AssistantStreamBuilder builder,
        Func<IAsyncEnumerator<TUpdate>> open,
        Func<TUpdate, List<AssistantMessageEvent>> apply,
        Func<IEnumerable<AssistantMessageEvent>> finish,
        Func<Exception, ProviderFailure> classify,
        Action<ProviderFailure?, bool> completed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ProviderFailure? failure = null;
        var aborted = false;
        IAsyncEnumerator<TUpdate>? updates = null;
        try
        {
            updates = open();
        }
        catch (Exception ex)
        {
            (failure, aborted) = Fail(ex);
        }

        if (updates is not null)
        {
            try
            {
                while (true)
                {
                    List<AssistantMessageEvent> events;
                    try
                    {
                        if (!await updates.MoveNextAsync())
                        {
                            break;
                        }
                        events = apply(updates.Current);
                    }
                    catch (Exception ex)
                    {
                        (failure, aborted) = Fail(ex);
                        break;
                    }
                    foreach (var e in events)
                    {
                        yield return e;
                    }
                }
            }
            finally
            {
                await DisposeQuietly(updates);
            }
        }

        completed(failure, aborted);
        if (aborted)
        {
            yield return builder.Abort();
        }
        else if (failure is not null)
        {
            yield return builder.Fail(failure);
        }
        else
        {
            foreach (var e in finish())
            {
                yield return e;
            }
        }

        // Whatever the exception, a cancelled token means the caller aborted (sockets torn down mid-read throw IO errors).
        (ProviderFailure?, bool) Fail(Exception ex) =>
            cancellationToken.IsCancellationRequested ? (null, true) : (classify(ex), false);
    }

    private static async ValueTask DisposeQuietly(IAsyncDisposable disposable)
    {
        try
        {
            await disposable.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            // The stream is being torn down after an error or abort; nothing left to report.
        }
    }
}
