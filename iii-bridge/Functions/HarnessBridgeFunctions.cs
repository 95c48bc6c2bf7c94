using Harness.Approvals;
using Harness.Bridge.Functions.Payloads;
using Harness.Messages;
using Harness.Providers;
using Harness.Serialization;
using Harness.Turns;
using Harness.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace Harness.Bridge.Functions;

/// <summary>
/// The harness surface (harness-core §2.1, §3.1, §4, §8; the session worker is <see cref="SessionBridgeFunctions"/>) as bridge functions: each id maps to one grain call with the
/// same payloads as the TypeScript harness. Grain keys are session ids, validated before any grain is touched.
/// </summary>
public sealed class HarnessBridgeFunctions(IGrainFactory grains, IServiceProvider services) : IBridgeFunctionSource
{
    /// <summary>The FSM steps published as <c>turn::&lt;state&gt;</c> (terminal states have none).</summary>
    public static readonly IReadOnlyList<string> StepStates =
    [
        TurnStates.Provisioning,
        TurnStates.AssistantStreaming,
        TurnStates.FunctionExecute,
        TurnStates.FunctionAwaitingApproval,
        TurnStates.SteeringCheck,
    ];

    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<RunStartRequest, RunStartResult>(
            "run::start",
            "Start an agent run for a session (flat RunStartPayload; {payload}/{data} wrappers are rejected). Replies started:false, reason:session_busy while a run is in flight.",
            (request, invocation, _) => StartAsync(request, invocation.Data, "$"),
            requestFormat: RunStartSchema());

        yield return BridgeFunction.Create<SessionRequest, RunAbortResult>(
            "run::abort",
            "Abort the in-flight run of a session with a synthetic aborted assistant message.",
            (request, _, _) => Turn(request.Validate()).Abort(),
            requestFormat: SessionSchema());

        yield return BridgeFunction.Create<SessionRequest, TurnStateView?>(
            "turn::get_state",
            "Lean turn state of a session (state, turn_count, awaiting_approval, error), or null for an unknown session.",
            (request, _, _) => Turn(request.Validate()).GetState(),
            requestFormat: SessionSchema(),
            responseFormat: BridgeSchemas.OrNull<TurnStateView>());

        foreach (var state in StepStates)
        {
            yield return BridgeFunction.Create<SessionRequest, TurnStepResult>(
                $"turn::{state}",
                $"Run the '{state}' step of a session's turn now; replies skipped:true, reason:stale when the turn is elsewhere.",
                (request, _, _) => Turn(request.Validate()).Step(state),
                requestFormat: SessionSchema());
        }

        yield return ResolveApproval();

        yield return BridgeFunction.Create<ApprovalSettingsRequest, ApprovalSettings>(
            "approval::get_settings",
            "Permission mode and grants of a session (defaults when none are stored).",
            (request, _, _) => Settings(request.ValidateSession()).GetSettings(),
            requestFormat: SettingsSchema());

        yield return SettingsMutation(
            "approval::set_mode",
            "Set a session's permission mode (manual | auto | full). Human-only.",
            request =>
            {
                var grain = Settings(request.ValidateSession());
                return grain.SetMode(request.ValidateMode());
            });
        yield return SettingsMutation(
            "approval::add_always_allow",
            "Allow a function without asking in auto mode for this session (idempotent). Human-only.",
            request =>
            {
                var grain = Settings(request.ValidateSession());
                return grain.AddAlwaysAllow(request.ValidateFunction());
            });
        yield return SettingsMutation(
            "approval::remove_always_allow",
            "Remove a function from a session's auto-mode allow list. Human-only.",
            request =>
            {
                var grain = Settings(request.ValidateSession());
                return grain.RemoveAlwaysAllow(request.ValidateFunction());
            });
        yield return SettingsMutation(
            "approval::approve_always",
            "Approve a function for every later call in this session, in every mode (idempotent). Human-only.",
            request =>
            {
                var grain = Settings(request.ValidateSession());
                return grain.ApproveAlways(request.ValidateFunction());
            });

        yield return SettingsMutation(
            "approval::clear_settings",
            "Forget a session's permission mode and grants. Human-only.",
            async request =>
            {
                await Settings(request.ValidateSession()).Clear();
                return OkResult.Success;
            },
            BridgeSchemas.For<OkResult>());

        yield return BridgeFunction.Create<PermissionCheckRequest, PermissionVerdict>(
            "policy::check_permissions",
            "Evaluate the YAML permission policy for a call: allow (rule_id), deny (rule_id, matched_constraint) or needs_approval.",
            async (request, _, ct) =>
            {
                var functionId = request.Validate();
                var policy = services.GetService<IPermissionPolicy>()
                    ?? throw new BridgeFunctionException("policy_unavailable", "no permission policy is configured in this silo");
                var args = request.Args is { ValueKind: not JsonValueKind.Undefined } a ? a : WireJson.Empty;
                return await policy.CheckAsync(functionId, args, ct);
            },
            requestFormat: BridgeSchemas.For<PermissionCheckRequest>().Require("function_id"),
            responseFormat: BridgeSchemas.For<PermissionVerdict>().Enum("decision", [PermissionVerdict.Allow, PermissionVerdict.Deny, PermissionVerdict.NeedsApproval]));

        yield return BridgeFunction.Create<HarnessTriggerRequest, HarnessTriggerResult>(
            "harness::trigger",
            "Console entry point: start a run from payload (a RunStartPayload). Answers status_code 200 when started, 409 when the session is busy.",
            async (request, invocation, _) =>
            {
                if (request.Payload is null)
                {
                    throw new PayloadValidationException("payload", "is required (a RunStartPayload object)");
                }
                var inner = invocation.Data.GetProperty("payload");
                return HarnessTriggerResult.From(await StartAsync(request.Payload, inner, "payload"));
            },
            requestFormat: BridgeSchemas.For<HarnessTriggerRequest>().Property("payload", RunStartSchema()).Require("payload"));
    }

    private async Task<RunStartResult> StartAsync(RunStartRequest request, JsonElement raw, string path)
    {
        foreach (var wrapper in (ReadOnlySpan<string>)["payload", "data"])
        {
            if (raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty(wrapper, out var wrapped) && wrapped.ValueKind == JsonValueKind.Object)
            {
                throw BridgeFunctionException.InvalidPayload(
                    Prefix(path, wrapper), "run::start takes the flat RunStartPayload; {payload}/{data} wrappers are rejected");
            }
        }
        try
        {
            request.Validate();
            await RequireProviderAsync(request);
        }
        catch (PayloadValidationException ex) when (path != "$")
        {
            throw new PayloadValidationException(Prefix(path, ex.Field), ex.Reason);
        }
        return await Turn(request.SessionId!).Start(request);
    }

    private Task RequireProviderAsync(RunStartRequest request) => ProviderCheck.RequireAsync(grains, services, request.Provider, request.Model!);

    /// <summary><c>approval::resolve</c> never throws: bad input is <c>{ok:false, error:"invalid_payload", field, message}</c>.</summary>
    private BridgeFunctionDescriptor ResolveApproval() => new(
        "approval::resolve",
        "Record a human decision (allow | deny | aborted) for a parked function call and wake the turn. Never throws: bad input answers ok:false, error:invalid_payload.",
        BridgeSchemas.For<ApprovalResolveRequest>().Require("session_id", "function_call_id", "decision").Enum("decision", ApprovalDecisions.All)
            .Enum("access_duration", ApprovalResolveRequest.AccessDurations),
        BridgeSchemas.For<ApprovalResolveResult>(),
        async (invocation, _) =>
        {
            ApprovalResolveResult result;
            try
            {
                var request = BridgePayload.Read<ApprovalResolveRequest>(invocation.Data);
                request.Validate();
                var c4 = services.GetService<ConsoleApprovalResolution>();
                var functionId = c4 is null ? null : (await Turn(request.SessionId!).GetState())?.AwaitingApproval?.FirstOrDefault(a => a.FunctionCallId == request.FunctionCallId)?.FunctionId;
                result = await Turn(request.SessionId!).ResolveApproval(request);
                if (result.Ok && c4 is not null)
                {
                    await c4.AfterResolvedAsync(request, functionId);
                }
            }
            catch (BridgeFunctionException ex) when (ex.Code == IiiErrorCodes.InvalidPayload)
            {
                result = Invalid(ex.Field ?? "$", ex.Detail);
            }
            catch (PayloadValidationException ex)
            {
                result = Invalid(ex.Field, ex.Reason);
            }
            return WireJson.ToElement(result);
        });

    private static ApprovalResolveResult Invalid(string field, string message) =>
        new() { Ok = false, Error = PayloadValidationException.Code, Field = field, Message = message };

    /// <summary>Settings mutations answer the updated settings, or <c>{ok:false, error, …}</c> instead of throwing (spec §4.2).</summary>
    private static BridgeFunctionDescriptor SettingsMutation(string id, string description, Func<ApprovalSettingsRequest, Task<ApprovalSettings>> mutate) =>
        SettingsMutation(id, description, mutate, BridgeSchemas.OneOf(BridgeSchemas.For<ApprovalSettings>(), BridgeSchemas.For<OkResult>()));

    /// <summary>
    /// Every bad input of a settings call — JSON type errors included — comes back in the one result shape
    /// <c>{ok:false, error:"invalid_payload", field, message}</c>, never as a wire error.
    /// </summary>
    private static BridgeFunctionDescriptor SettingsMutation<TResult>(string id, string description, Func<ApprovalSettingsRequest, Task<TResult>> mutate, JsonNode responseFormat) => new(
        id,
        description,
        SettingsSchema(),
        responseFormat,
        async (invocation, _) =>
        {
            try
            {
                return WireJson.ToElement(await mutate(BridgePayload.Read<ApprovalSettingsRequest>(invocation.Data)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return WireJson.ToElement(Failure(ex));
            }
        });

    private static OkResult Failure(Exception ex) => ex switch
    {
        PayloadValidationException invalid => new() { Error = PayloadValidationException.Code, Field = invalid.Field, Message = invalid.Reason },
        BridgeFunctionException { Code: IiiErrorCodes.InvalidPayload } invalid => new() { Error = invalid.Code, Field = invalid.Field, Message = invalid.Detail },
        _ => new() { Error = "settings_failed", Message = ex.Message },
    };

    private static JsonNode SessionSchema() => BridgeSchemas.For<SessionRequest>().Require("session_id");

    private static JsonNode RunStartSchema() =>
        BridgeSchemas.For<RunStartRequest>().Require("session_id", "provider", "model").Enum("mode", RunStartRequest.Modes);

    private static JsonNode SettingsSchema() =>
        BridgeSchemas.For<ApprovalSettingsRequest>().Require("session_id").Enum("mode", ApprovalModes.All);

    private static string Prefix(string path, string field) => path == "$" ? field : $"{path}.{field}";

    private ITurnGrain Turn(string sessionId) => grains.GetGrain<ITurnGrain>(sessionId);

    private IApprovalSettingsGrain Settings(string sessionId) => grains.GetGrain<IApprovalSettingsGrain>(sessionId);
}
