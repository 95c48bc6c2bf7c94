using Harness.Bridge.Functions.Payloads;
using Harness.ConsoleTurns;
using System.Text.Json.Nodes;
using Harness.Serialization;
using Harness.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace Harness.Bridge.Functions;

/// <summary>
/// The C4 console's turn surface (console-and-data §1.6): <c>harness::send</c>, <c>status</c>, <c>stop</c>,
/// <c>unqueue</c>, <c>edit_queued</c> and the session-trigger calls, over the session's <see cref="IConsoleTurnsGrain"/>
/// (turn ids, dedupe, queue), which starts runs through the same turn grain as <c>run::start</c>.
/// </summary>
public sealed class ConsoleTurnFunctions(IGrainFactory grains, TimeProvider time, IServiceProvider services) : IBridgeFunctionSource
{
    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<ConsoleSendRequest, ConsoleSendResult>(
            "harness::send",
            "Send a message to a session (new when session_id is omitted): starts a turn when idle; a busy session queues it (streaming) or merges it into the running turn. A repeated idempotency_key answers the first reply with deduplicated:true.",
            async (request, _, _) =>
            {
                var command = request.ToCommand(time.GetUtcNow().ToUnixTimeMilliseconds());
                await RequireKnownModelAsync(command.Run);
                return await Turns(command.Run.SessionId!).Send(command);
            },
            requestFormat: ConsoleSchemas.Send(),
            responseFormat: BridgeSchemas.For<ConsoleSendResult>().Require("session_id", "turn_id", "accepted"));

        yield return BridgeFunction.Create<ConsoleSessionRequest, ConsoleStatusReport?>(
            "harness::status",
            "Status of a session's current or last turn (running | awaiting_functions | completed | cancelled | failed) with its queued messages; null for a session that never ran.",
            (request, _, _) => Turns(request.Session()).Status(),
            requestFormat: ConsoleSchemas.Session("StatusRequest"),
            responseFormat: BridgeSchemas.OrNull<ConsoleStatusReport>());

        yield return BridgeFunction.Create<ConsoleSessionRequest, ConsoleStopResult>(
            "harness::stop",
            "Stop the session's running turn (only that turn when turn_id is given). Answers stopping:false when nothing was running.",
            async (request, _, _) => new ConsoleStopResult { Stopping = await Turns(request.Session()).Stop(request.TurnId) },
            requestFormat: ConsoleSchemas.Session("StopRequest", "turn_id"),
            responseFormat: BridgeSchemas.For<ConsoleStopResult>().Require("stopping"));

        yield return BridgeFunction.Create<ConsoleSessionRequest, ConsoleQueueEditResult>(
            "harness::unqueue",
            "Remove a queued message (by entry_id) before the turn takes it; found:false when it was already taken.",
            async (request, _, _) =>
            {
                var session = request.Session();
                var found = await Turns(session).Unqueue(request.Entry());
                return new ConsoleQueueEditResult { Ok = true, Found = found };
            },
            requestFormat: ConsoleSchemas.Session("UnqueueRequest", "entry_id").Require("session_id", "entry_id"));

        yield return BridgeFunction.Create<ConsoleSessionRequest, ConsoleQueueEditResult>(
            "harness::edit_queued",
            "Replace a queued message (by entry_id) before the turn takes it; found:false when it was already taken.",
            async (request, _, _) =>
            {
                var session = request.Session();
                var entry = request.Entry();
                var message = ConsoleSendRequest.ReadMessage(request.Message, "message", time.GetUtcNow().ToUnixTimeMilliseconds());
                return new ConsoleQueueEditResult { Ok = true, Found = await Turns(session).EditQueued(entry, message) };
            },
            requestFormat: ConsoleSchemas.Session("EditQueuedRequest", "entry_id", "message").Require("session_id", "entry_id", "message"));

        yield return BridgeFunction.Create<ConsoleSessionRequest, ConsoleSubscriptionsResult>(
            "harness::triggers::list",
            "Read-only: the trigger subscriptions a session's agent registered (engine::register_trigger), oldest first: subscription_id, trigger_id, trigger_type, config, target (absent = the fire notifies the session), label, action, once, max_fires, expires_at, fires, created_at.",
            async (request, _, _) => new ConsoleSubscriptionsResult { Subscriptions = await Triggers.ListAsync(request.Session()) },
            requestFormat: ConsoleSchemas.Session("TriggersListRequest"),
            responseFormat: BridgeSchemas.For<ConsoleSubscriptionsResult>().Require("subscriptions"));

        yield return BridgeFunction.Create<ConsoleSessionRequest, ConsoleUnregisterResult>(
            "harness::triggers::unregister",
            "Tear down one trigger subscription by subscription_id: the engine binding and the stored record. session_id must name its owner; removed:false when that session owns no such subscription (already retired).",
            async (request, _, _) =>
            {
                var session = request.Session();
                var id = Require.NonEmpty(request.SubscriptionId, "subscription_id");
                return new ConsoleUnregisterResult { Removed = await Triggers.UnregisterAsync(session, id) };
            },
            requestFormat: ConsoleSchemas.Session("TriggersUnregisterRequest", "subscription_id").Require("session_id", "subscription_id"),
            responseFormat: BridgeSchemas.For<ConsoleUnregisterResult>().Require("removed"));

        yield return new BridgeFunctionDescriptor(
            SessionTriggers.DeliverId,
            "Internal: one fire of a session's trigger subscription (bound by the harness; metadata names the subscription).",
            new JsonObject { ["type"] = "object" },
            new JsonObject { ["type"] = "object" },
            (invocation, _) => Triggers.DeliverAsync(invocation))
        {
            Metadata = WireJson.Parse("""{"internal":true}"""),
        };
    }

    /// <summary>
    /// A send naming a provider or model is refused up front when nothing serves it (invalid_payload naming
    /// <c>provider</c> or <c>model</c>), before the session, its dedupe key or a queued entry is stored. The other half
    /// is the session's last run's, as the send would inherit it.
    /// </summary>
    private async Task RequireKnownModelAsync(Turns.RunStartRequest run)
    {
        if (string.IsNullOrWhiteSpace(run.Model) && run.Provider is null)
        {
            return;  // inherits both from the session's last run, which already passed
        }
        var last = await grains.GetGrain<Turns.ITurnGrain>(run.SessionId!).GetRunRequest();
        var model = string.IsNullOrWhiteSpace(run.Model) ? last?.Model : run.Model;
        if (string.IsNullOrEmpty(model))
        {
            return;  // the session grain refuses a first send without a model, naming the field
        }
        var provider = run.Provider ?? (last is not null && last.Model == model ? last.Provider : "");
        await ProviderCheck.RequireAsync(grains, services, provider, model);
    }

    private SessionTriggers Triggers => services.GetRequiredService<SessionTriggers>();

    private IConsoleTurnsGrain Turns(string sessionId) => grains.GetGrain<IConsoleTurnsGrain>(sessionId);
}
