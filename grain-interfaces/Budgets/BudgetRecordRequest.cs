namespace Harness.Budgets;

/// <summary>
/// Payload of <c>budget::record</c>: <c>{cost_usd?, tokens_in?, tokens_out?, run_id?, agent_id?, record_id?,
/// reservation_id?}</c>. <c>record_id</c> (e.g. <c>&lt;run_id&gt;:&lt;step&gt;</c>) makes a retried record count once.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BudgetRecordRequest
{
    [Id(0), JsonPropertyName("cost_usd")] public double? CostUsd { get; init; }
    [Id(1), JsonPropertyName("tokens_in")] public long? TokensIn { get; init; }
    [Id(2), JsonPropertyName("tokens_out")] public long? TokensOut { get; init; }
    [Id(3), JsonPropertyName("run_id")] public string? RunId { get; init; }
    [Id(4), JsonPropertyName("agent_id")] public string? AgentId { get; init; }
    [Id(5), JsonPropertyName("record_id")] public string? RecordId { get; init; }
    [Id(6), JsonPropertyName("reservation_id")] public string? ReservationId { get; init; }

    [JsonIgnore] public long Tokens => (TokensIn ?? 0) + (TokensOut ?? 0);

    /// <summary>Throws <see cref="Validation.PayloadValidationException"/> naming the first bad field.</summary>
    public void Validate()
    {
        BudgetValidation.Usd(CostUsd, "cost_usd");
        BudgetValidation.Tokens(TokensIn, "tokens_in");
        BudgetValidation.Tokens(TokensOut, "tokens_out");
        BudgetValidation.OptionalId(RunId, "run_id");
        BudgetValidation.OptionalId(AgentId, "agent_id");
        BudgetValidation.OptionalId(RecordId, "record_id");
        BudgetValidation.OptionalId(ReservationId, "reservation_id");
    }
}
