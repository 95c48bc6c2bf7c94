using Harness.Bridge.Channels;
using Harness.Bridge.Client;
using Harness.Bridge.Functions;
using Harness.Messages;
using Harness.Providers;
using Harness.Tests.Bridge.StandIn;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Harness.Tests.Bridge.TestClients;

namespace Harness.Tests.Bridge;

/// <summary>A provider outside the cluster, streaming over an engine channel, and every way that can go wrong.</summary>
public sealed class ExternalProviderTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private EngineStandIn _engine = null!;
    private IiiWorkerClient _providers = null!;
    private IiiWorkerClient _bridge = null!;

    public async ValueTask InitializeAsync()
    {
        _engine = await EngineStandIn.StartAsync();
        _providers = await StartAsync(_engine, BridgeFunctionCatalog.Of(
            Provider("good", ["""{"type":"start"}""", "not json at all", """{"type":"text_delta","delta":"hi"}""", Done("hi")]),
            Provider("empty", []),
            AsyncFunction("provider::broken::stream", (_, _) => throw new InvalidOperationException("upstream exploded")),
            AsyncFunction("provider::refusing::stream", (_, _) => Task.FromResult<object?>(new { ok = false, status = "no_credentials" }))),
            "providers");
        _bridge = await StartAsync(_engine, BridgeFunctionCatalog.Of(), "bridge");
    }

    public async ValueTask DisposeAsync()
    {
        await _bridge.StopAsync();
        await _providers.StopAsync();
        await _engine.DisposeAsync();
    }

    private BridgeFunctionDescriptor Provider(string name, string[] frames) => AsyncFunction($"provider::{name}::stream", async (invocation, ct) =>
    {
        var writer = WireJson.Deserialize<IiiChannelRef>(invocation.Data.GetProperty("writer_ref"))!;
        await using var channel = await IiiChannelEndpoint.OpenAsync(_engine.Url.ToString(), writer, Patience, 1 << 20, ct);
        foreach (var frame in frames)
        {
            await channel.SendTextAsync(frame, ct);
        }
        await channel.CloseAsync(ct);
        return new { ok = true };
    });

    private static string Done(string text) =>
        $$$"""{"type":"done","message":{"role":"assistant","content":[{"type":"text","text":"{{{text}}}"}],"stop_reason":"end","model":"m","provider":"good","timestamp":1}}""";

    private async Task<List<AssistantMessageEvent>> Stream(string provider)
    {
        var options = BridgeOptions(_engine.Url, "bridge");
        var client = new ExternalProviderClient(_bridge, Options.Create(options), NullLogger<ExternalProviderClient>.Instance);
        var model = new ExternalModelProvider(provider, client);
        var request = new ProviderRequest("m", "be brief", [AgentMessage.User("hello", 1)], []);
        var events = new List<AssistantMessageEvent>();
        await foreach (var evt in model.StreamAsync(request, Ct).WithCancellation(Ct))
        {
            events.Add(evt);
        }
        return events;
    }

    [Fact]
    public async Task Events_written_by_the_provider_arrive_in_order_and_unreadable_frames_are_skipped()
    {
        var events = await Stream("good");
        Assert.Equal(["start", "text_delta", "done"], events.Select(e => e.Type));
        Assert.Equal("hi", events[^1].Message!.Text);
        var call = _engine.Frames.Single(f => f.Type == "invokefunction" && f.FunctionId == "provider::good::stream").Frame["data"]!;
        Assert.Equal("write", call["writer_ref"]!["direction"]!.GetValue<string>());
        Assert.Equal(("m", "be brief"), (call["model"]!.GetValue<string>(), call["system_prompt"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("nobody", "function_not_found", ErrorKinds.Permanent)]
    [InlineData("broken", "upstream exploded", ErrorKinds.Transient)]
    [InlineData("empty", "provider channel closed without final", ErrorKinds.Transient)]
    [InlineData("refusing", "no_credentials", ErrorKinds.Transient)]
    public async Task A_failing_provider_ends_the_stream_with_one_error_event(string provider, string reason, string kind)
    {
        var events = await Stream(provider).WaitAsync(Patience, Ct);
        var error = Assert.Single(events);
        Assert.Equal(StreamEventTypes.Error, error.Type);
        Assert.Equal(StopReasons.Error, error.Error!.StopReason);
        Assert.Contains(reason, error.Error.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(kind, error.Error.ErrorKind);
        Assert.Equal(provider, error.Error.Provider);
    }

    [Fact]
    public void Channel_urls_keep_the_engine_path_and_escape_the_key()
    {
        var url = IiiChannelEndpoint.UrlFor("ws://127.0.0.1:49134/", new IiiChannelRef { ChannelId = "c1", AccessKey = "a+b/c=", Direction = IiiChannelRef.Read });
        Assert.Equal("ws://127.0.0.1:49134/ws/channels/c1?key=a%2Bb%2Fc%3D&dir=read", url.AbsoluteUri);
    }
}
