using System.Text;

namespace Harness.Benchmarks;

/// <summary>Collects result rows and renders them as a markdown table.</summary>
public sealed class ResultsTable
{
    private readonly List<ResultRow> _rows = [];

    public IReadOnlyList<ResultRow> Rows => _rows;

    public void Add(string benchmark, string configuration, string result, string notes = "") =>
        _rows.Add(new ResultRow(benchmark, configuration, result, notes));

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| benchmark | configuration | result | notes |");
        text.AppendLine("|---|---|---|---|");
        foreach (var row in _rows)
        {
            text.AppendLine($"| {Cell(row.Benchmark)} | {Cell(row.Configuration)} | {Cell(row.Result)} | {Cell(row.Notes)} |");
        }
        return text.ToString();
    }

    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');
}
