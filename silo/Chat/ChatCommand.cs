namespace Harness.Silo.Chat;

/// <summary>
/// <c>dotnet run --project silo -- chat …</c>: a terminal chat against a running silo's HTTP API, for people without
/// the iii console. Streams the session's events while reading lines from the input.
/// </summary>
public static class ChatCommand
{
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.In, Console.Out, CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        ChatOptions options;
        try
        {
            options = ChatOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            output.WriteLine(ex.Message);
            output.WriteLine(ChatOptions.Usage);
            return 64;
        }
        var baseAddress = new Uri(options.Url.ToString().TrimEnd('/') + "/");
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var events = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        if (options.ApiKey is { } key)
        {
            http.DefaultRequestHeaders.Authorization = events.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }
        var console = new ChatConsole(output);
        var renderer = new ChatRenderer(console);
        var session = new ChatSession(options, new HarnessApiClient(http), console, renderer);
        var stream = new SessionEventStream(events, options.SessionId, console);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stream.Resubscribed += () => session.RefreshAsync(stop.Token);
        var pump = stream.RunAsync(renderer.Render, stop.Token);
        if (await Task.WhenAny(stream.Subscribed, Task.Delay(TimeSpan.FromSeconds(10), stop.Token)) != stream.Subscribed)
        {
            console.Line($"[events not connected yet at {baseAddress}; still trying]");
        }
        try
        {
            return await session.RunAsync(input, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 130;
        }
        finally
        {
            await stop.CancelAsync();
            await pump;
        }
    }
}
