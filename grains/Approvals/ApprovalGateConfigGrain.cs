using System.Text.Json.Nodes;
using Harness.Hosting;
using Harness.Validation;

namespace Harness.Approvals;

/// <inheritdoc cref="IApprovalGateConfigGrain"/>
/// <remarks>Rules are validated on every write, so a stored entry always compiles (the gate never fails on it).</remarks>
[GrainType("approval-gate-config")]
public sealed class ApprovalGateConfigGrain(
    [PersistentState("approval-gate-config", HarnessStorage.Name)] IPersistentState<ApprovalGateConfig> state) : Grain, IApprovalGateConfigGrain
{
    public Task<ApprovalGateConfig> Get() => Task.FromResult(state.State);

    public async Task<ApprovalGateConfig> Set(string? defaultMode, string rulesJson)
    {
        if (defaultMode is not null)
        {
            Require.OneOf(defaultMode, "value.default_mode", ApprovalModes.All);
        }
        var normalised = Normalise(rulesJson);
        var previous = state.State;
        await WriteAsync(new ApprovalGateConfig { DefaultMode = defaultMode, RulesJson = normalised, Version = previous.Version + 1 });
        return previous;
    }

    public async Task<ApprovalGateConfig> AllowAlways(string functionId)
    {
        Require.NonEmpty(functionId, "function_id");
        var current = state.State;
        var rules = JsonNode.Parse(current.RulesJson)?.AsArray() ?? [];
        var ruleId = GateConfigRules.RuleId(functionId);
        if (rules.Any(r => r is JsonObject o && o["rule_id"]?.GetValueKind() == JsonValueKind.String && o["rule_id"]!.GetValue<string>() == ruleId))
        {
            return current;  // a repeated "always" for the same function
        }
        rules.Add(JsonNode.Parse(GateConfigRules.AlwaysRule(functionId).GetRawText()));
        var updated = current with { RulesJson = rules.ToJsonString(WireJson.Options), Version = current.Version + 1 };
        await WriteAsync(updated);
        return updated;
    }

    private async Task WriteAsync(ApprovalGateConfig updated)
    {
        state.State = updated;
        await state.WriteStateAsync();
    }

    /// <summary>Checks the array compiles (errors name <c>value.rules[i].field</c>) and answers it as compact JSON.</summary>
    private static string Normalise(string rulesJson)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(rulesJson);
        }
        catch (JsonException ex)
        {
            throw new PayloadValidationException("value.rules", $"is not JSON: {ex.Message}");
        }
        if (parsed is not JsonArray array)
        {
            throw new PayloadValidationException("value.rules", "must be an array");
        }
        var text = array.ToJsonString(WireJson.Options);
        try
        {
            GateConfigRules.Parse(text);
        }
        catch (PolicyFormatException ex)
        {
            throw new PayloadValidationException($"value.{ex.Location}", ex.Problem);
        }
        return text;
    }
}
