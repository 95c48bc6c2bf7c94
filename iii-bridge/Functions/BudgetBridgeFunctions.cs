using Harness.Bridge.Functions.Payloads;
using Harness.Budgets;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>
/// The <c>llm-budget</c> worker's 14 <c>budget::*</c> functions with the original shapes (console-and-data §3.5), plus
/// this project's <c>budget::configure</c> (token/USD caps on <c>workspace:&lt;id&gt;</c> / <c>agent:&lt;id&gt;</c>
/// keys) and <c>budget::reserve</c> (check and hold, what the turn does before every model call). <c>budget::create</c>
/// mints an opaque <c>bdg_…</c> id, indexes it in the budget directory first (so <c>budget::list</c> finds it and turns in
/// its workspace/agent are checked against it), then writes the budget.
/// </summary>
public sealed class BudgetBridgeFunctions(IGrainFactory grains) : IBridgeFunctionSource
{
    private const string BudgetIdField = "budget_id";

    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<BudgetCreateRequest, BudgetCreateResult>(
            "budget::create",
            "Create a USD budget {ceiling_usd>0, period: day|week|month, workspace_id?, agent_id?, name?}; enforced and not paused. Runs of that workspace/agent are checked against it before every model call.",
            (request, _, _) => CreateAsync(request),
            requestFormat: BridgeSchemas.For<BudgetCreateRequest>().DeepClone().Require("ceiling_usd", "period").Enum("period", BudgetPeriods.Usd));

        yield return BridgeFunction.Create<BudgetListRequest, BudgetListResult>(
            "budget::list",
            "Budgets made by budget::create (of one workspace when workspace_id is given), newest created_at first.",
            (request, _, _) => ListAsync(request));

        yield return OnBudget<BudgetIdRequest, BudgetGetResult>(
            "budget::get", "One budget {budget} (unknown ids fail with 'budget not found: <id>').",
            async (budget, _) => new BudgetGetResult(await budget.Describe()));

        yield return OnBudget<BudgetUpdateRequest, BudgetGetResult>(
            "budget::update", "Patch {ceiling_usd?, period?, enforced?, paused?, name?}; a period change archives the spend, re-anchors the period at now, zeroes the spend and resets the alerts.",
            async (budget, request) => new BudgetGetResult(await budget.Update(request.Patch ?? throw new PayloadValidationException("patch", "is required and must be an object"))),
            schema => schema.Require("patch"));

        yield return OnBudget<BudgetIdRequest, OkResult>(
            "budget::delete", "Delete a budget, its counters and its directory entry.",
            (budget, _) => DeleteAsync(budget));

        yield return OnBudget<BudgetCheckRequest, BudgetCheckResult>(
            "budget::check", "Would a call costing estimated_cost_usd fit? {allowed, remaining_usd, reason?}: paused, not_enforced, exempt (principal_id) or ceiling_exceeded. Holds nothing.",
            (budget, request) => { request.Validate(); return budget.Check(request); });

        yield return OnBudget<BudgetRecordRequest, BudgetRecordResult>(
            "budget::record", "Record actual spend {cost_usd, run_id?, agent_id?, tokens_in?, tokens_out?, record_id?}; fires each alert once per period; {spent_usd, remaining_usd}.",
            (budget, request) => { request.Validate(); return budget.Record(request); });

        yield return OnBudget<BudgetIdRequest, BudgetResetResult>(
            "budget::reset", "Spend to 0, period re-anchored at the start of the current one, alerts re-armed; {budget_id, previous_spent_usd}.",
            (budget, _) => budget.Reset());

        yield return OnBudget<BudgetAlertRequest, BudgetAlertSetResult>(
            "budget::alert_set", "Add an alert {threshold_pct in (0,1], callback_function_id, callback_payload?}: the callback is triggered once per period when spent/ceiling reaches the threshold.",
            async (budget, request) => { request.Validate(); return new BudgetAlertSetResult(await budget.SetAlert(request)); },
            schema => schema.Require("threshold_pct", "callback_function_id"));

        yield return OnBudget<BudgetUsageRequest, BudgetUsage>(
            "budget::usage", "Spend by period {spent_usd, by_period:[{period, spent}], records_count}; window is 'all' (default) or the budget's period.",
            (budget, request) => budget.Usage(request.Window));

        yield return OnBudget<BudgetIdRequest, BudgetForecast>(
            "budget::forecast", "The current daily rate projected: {projected_month_usd, on_track, days_until_breach}.",
            (budget, _) => budget.Forecast());

        yield return OnBudget<BudgetEnforceRequest, BudgetEnforceResult>(
            "budget::enforce", "Turn enforcement on or off (off: checks allow with reason not_enforced, spend still counts).",
            async (budget, request) => new BudgetEnforceResult(Id(budget), await budget.SetEnforced(Flag(request.Enforced, "enforced"))),
            schema => schema.Require("enforced"));

        yield return OnBudget<BudgetExemptRequest, BudgetExemptResult>(
            "budget::exempt", "Exempt principal_id for 24 h (replaces its earlier exemption); {budget_id, expires_at}.",
            async (budget, request) => new BudgetExemptResult(Id(budget), await budget.Exempt(
                Require.NonEmpty(request.PrincipalId, "principal_id"), Require.NonEmpty(request.Reason, "reason"))),
            schema => schema.Require("principal_id", "reason"));

        yield return OnBudget<BudgetPauseRequest, BudgetPauseResult>(
            "budget::pause", "Pause or resume a budget (paused: checks allow with reason paused, spend still counts).",
            async (budget, request) => new BudgetPauseResult(Id(budget), await budget.SetPaused(Flag(request.Paused, "paused"))),
            schema => schema.Require("paused"));

        yield return OnBudget<BudgetConfig, BudgetView>(
            "budget::configure", "Create or replace caps on a budget id such as workspace:<id> or agent:<id> (ceiling_tokens and/or ceiling_usd per day|week|month|none); counters are kept.",
            (budget, request) => { request.Validate(); return budget.Configure(request); });

        yield return OnBudget<BudgetCheckRequest, BudgetCheckResult>(
            "budget::reserve", "Check and hold the estimate until budget::record settles it (reservation_id), as the turn does before every model call.",
            (budget, request) => { request.Validate(); return budget.Reserve(request); });
    }

    private IBudgetDirectoryGrain Directory => grains.GetGrain<IBudgetDirectoryGrain>(IBudgetDirectoryGrain.Key);

    private async Task<BudgetCreateResult> CreateAsync(BudgetCreateRequest request)
    {
        request.Validate();
        var id = $"bdg_{Guid.NewGuid():N}";
        await Directory.Add(new BudgetDirectoryEntry
        {
            BudgetId = id, WorkspaceId = request.WorkspaceId, AgentId = request.AgentId, CreatedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        });
        await grains.GetGrain<IBudgetGrain>(id).Create(request);
        return new BudgetCreateResult(id);
    }

    private async Task<BudgetListResult> ListAsync(BudgetListRequest request)
    {
        if (request.WorkspaceId is not null)
        {
            Require.NonEmpty(request.WorkspaceId, "workspace_id");
        }
        var entries = await Directory.List(request.WorkspaceId);
        var budgets = await Task.WhenAll(entries.Select(async e =>
        {
            try
            {
                return await grains.GetGrain<IBudgetGrain>(e.BudgetId).Describe();
            }
            catch (BudgetNotFoundException)
            {
                return null;  // indexed, then the create or a delete did not finish
            }
        }));
        return new BudgetListResult([.. budgets.OfType<BudgetInfo>()]);
    }

    private async Task<OkResult> DeleteAsync(IBudgetGrain budget)
    {
        _ = await budget.Get() ?? throw new BudgetNotFoundException(Id(budget));
        await budget.Delete();
        await Directory.Remove(Id(budget));
        return OkResult.Success;
    }

    private static string Id(IBudgetGrain budget) => budget.GetPrimaryKeyString();

    private static bool Flag(bool? value, string field) =>
        value ?? throw new PayloadValidationException(field, "is required and must be a boolean");

    /// <summary>
    /// A function on one budget: <c>budget_id</c> is added to the request schema as a required string and read from the
    /// payload first, so a missing one is "is required" and a number is a type error, both naming <c>budget_id</c>.
    /// </summary>
    private BridgeFunctionDescriptor OnBudget<TRequest, TResponse>(
        string id, string description, Func<IBudgetGrain, TRequest, Task<TResponse>> call, Func<JsonNode, JsonNode>? schema = null)
        where TRequest : class
    {
        var format = BridgeSchemas.For<TRequest>().DeepClone().AsObject();
        if (format["properties"] is not JsonObject properties)
        {
            format["properties"] = properties = [];
        }
        properties[BudgetIdField] = new JsonObject
        {
            ["type"] = "string",
            ["description"] = "from budget::create (bdg_…), or workspace:<id> / agent:<id> for configured budgets",
        };
        JsonNode requestFormat = format.Require(BudgetIdField);
        if (schema is not null)
        {
            requestFormat = schema(requestFormat);
        }
        return BridgeFunction.Create<TRequest, TResponse>(id, description,
            (request, invocation, _) => call(grains.GetGrain<IBudgetGrain>(ReadBudgetId(invocation.Data)), request),
            requestFormat: requestFormat);
    }

    private static string ReadBudgetId(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(BudgetIdField, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new PayloadValidationException(BudgetIdField, "is required and must be a non-empty string");
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new PayloadValidationException(BudgetIdField, $"must be a string (got a {value.ValueKind.ToString().ToLowerInvariant()})");
        }
        return Require.NonEmpty(value.GetString(), BudgetIdField);
    }
}
