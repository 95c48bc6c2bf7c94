using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harness.Tests.Providers.Fakes;

/// <summary>
/// A Kestrel server on 127.0.0.1 with an ephemeral port that plays an upstream model API: responses are scripted per
/// "METHOD /path" (queued one-shot answers first, then a standing answer), every request is captured.
/// </summary>
public sealed class FakeUpstreamServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeResponse>> _queued = new();
    private readonly ConcurrentDictionary<string, FakeResponse> _standing = new();
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Completed when a hanging response saw its client disconnect.</summary>
    public TaskCompletionSource ClientAborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<CapturedRequest> Requests => [.. _requests];

    public static async Task<FakeUpstreamServer> StartAsync()
    {
        var server = new FakeUpstreamServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        server._app = app;
        return server;
    }

    /// <summary>Base URL for a provider mounted under <paramref name="prefix"/> (e.g. "openai/v1").</summary>
    public string Url(string prefix) => new Uri(BaseAddress, prefix).ToString().TrimEnd('/');

    public void Enqueue(string route, FakeResponse response) => _queued.GetOrAdd(route, _ => new()).Enqueue(response);

    public void Always(string route, FakeResponse response) => _standing[route] = response;

    public IReadOnlyList<CapturedRequest> RequestsTo(string route) =>
        Requests.Where(r => $"{r.Method} {r.Path}" == route).ToList();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var route = $"{context.Request.Method} {context.Request.Path}";
        _requests.Enqueue(new CapturedRequest(context.Request.Method, context.Request.Path, headers, body));

        var response = _queued.TryGetValue(route, out var queue) && queue.TryDequeue(out var next) ? next
            : _standing.TryGetValue(route, out var standing) ? standing
            : FakeResponse.Error(404, $$$"""{"error":{"message":"no fake for {{{route}}}","type":"not_found"}}""");

        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        if (response.Frames is null)
        {
            await context.Response.WriteAsync(response.Body ?? "");
            return;
        }
        await context.Response.StartAsync();
        foreach (var frame in response.Frames)
        {
            await context.Response.WriteAsync(frame);
            await context.Response.Body.FlushAsync();
        }
        if (response.HangAfterFrames)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                ClientAborted.TrySetResult();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
