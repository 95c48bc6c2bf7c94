using Harness.Bridge.Functions.Payloads;
using Harness.Ui;

namespace Harness.Bridge.Functions;

/// <summary>
/// The harness UI subscriptions (harness-core §3.1, §3.3): browsers follow one session or all (<c>session_id:null</c>,
/// the traces page) and the models catalog; <see cref="Events.UiFanout"/> pushes to them. Stored in the cluster's
/// <see cref="IUiSubscriptionsGrain"/>, so any bridge silo may take the call.
/// </summary>
public sealed class UiFanoutBridgeFunctions(IGrainFactory grains) : IBridgeFunctionSource
{
    private IUiSubscriptionsGrain Subscriptions => grains.GetGrain<IUiSubscriptionsGrain>(IUiSubscriptionsGrain.Key);

    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<UiSubscribeRequest, UiSubscribeResult>(
            "ui::subscribe",
            "Push this session's agent events to ui::session::event::<browser_id> (session_id null = every session, plus ui::traces::changed::<browser_id> {} after each turn_end).",
            async (request, _, _) =>
            {
                var (browser, session) = request.Validate();
                return new UiSubscribeResult { TotalBrowsers = await Subscriptions.Subscribe(browser, session) };
            },
            requestFormat: Schema(withSession: true));

        yield return BridgeFunction.Create<UiSubscribeRequest, UiSubscribeResult>(
            "ui::unsubscribe",
            "Stop the pushes ui::subscribe started for this browser and session (null = every session).",
            async (request, _, _) =>
            {
                var (browser, session) = request.Validate();
                return new UiSubscribeResult { TotalBrowsers = await Subscriptions.Unsubscribe(browser, session) };
            },
            requestFormat: Schema(withSession: true));

        yield return BridgeFunction.Create<UiSubscribeRequest, OkResult>(
            "ui::models::subscribe",
            "Push ui::models::changed::<browser_id> {reason:\"models-changed\"} whenever the models catalog changes.",
            async (request, _, _) =>
            {
                await Subscriptions.SubscribeModels(request.Validate().BrowserId);
                return OkResult.Success;
            },
            requestFormat: Schema(withSession: false));

        yield return BridgeFunction.Create<UiSubscribeRequest, OkResult>(
            "ui::models::unsubscribe",
            "Stop the ui::models::changed pushes for this browser.",
            async (request, _, _) =>
            {
                await Subscriptions.UnsubscribeModels(request.Validate().BrowserId);
                return OkResult.Success;
            },
            requestFormat: Schema(withSession: false));
    }

    /// <summary><c>browser_id</c> is required, at the top level or inside the <c>body</c> wrapper.</summary>
    private static JsonNode Schema(bool withSession)
    {
        var fields = new JsonObject { ["browser_id"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 } };
        if (withSession)
        {
            fields["session_id"] = new JsonObject { ["type"] = new JsonArray("string", "null"), ["description"] = "null or absent = every session" };
        }
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["browser_id"] = fields["browser_id"]!.DeepClone(),
                ["session_id"] = withSession ? fields["session_id"]!.DeepClone() : null,
                ["body"] = new JsonObject { ["type"] = "object", ["properties"] = fields.DeepClone(), ["required"] = new JsonArray("browser_id") },
            },
            ["anyOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("browser_id") }, new JsonObject { ["required"] = new JsonArray("body") }),
        };
    }
}
