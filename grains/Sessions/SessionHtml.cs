using System.Net;
using System.Text;

namespace Harness.Sessions;

/// <summary>
/// <c>session-tree::export_html</c>: one path of a session as a self-contained page (dark theme, inline CSS, no
/// scripts or external resources). Every piece of session content is HTML-encoded.
/// </summary>
public static class SessionHtml
{
    private const string Style = """
        body { background: #0d1117; color: #e6edf3; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; margin: 0; padding: 24px; }
        main { max-width: 920px; margin: 0 auto; }
        .entry { margin: 12px 0; padding: 12px 16px; border-radius: 6px; border-left: 3px solid #30363d; background: #161b22; }
        .label { font-size: 0.75em; text-transform: uppercase; letter-spacing: 0.08em; opacity: 0.7; margin-bottom: 6px; }
        .user { background: #0b2730; border-left-color: #06b6d4; color: #67e8f9; }
        .assistant { border-left-color: #c9d1d9; color: #f0f6fc; }
        .function-result { border-left-color: #6e7681; color: #8b949e; }
        .thinking { font-style: italic; opacity: 0.75; }
        .custom { border-left-color: #d29922; }
        .branch-summary { background: #1c1d23; border-left-color: #f0883e; }
        .compaction { background: #1c1d23; border-left-color: #2ea043; }
        pre { margin: 0; white-space: pre-wrap; word-wrap: break-word; font-family: inherit; }
        """;

    public static string Render(string sessionId, IEnumerable<SessionEntry> path)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>session ")
            .Append(E(sessionId)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n");
        foreach (var entry in path)
        {
            RenderEntry(html, entry);
        }
        return html.Append("</main>\n</body>\n</html>\n").ToString();
    }

    private static void RenderEntry(StringBuilder html, SessionEntry entry)
    {
        switch (entry.Kind)
        {
            case SessionEntryKinds.Compaction:
                var details = entry.Details ?? new CompactionDetails();
                Block(html, "compaction", $"compaction · {entry.TokensBefore ?? 0} tokens before",
                    Pre($"{entry.Summary}\n\nread: {string.Join(", ", details.ReadFiles ?? [])}\nmodified: {string.Join(", ", details.ModifiedFiles ?? [])}"));
                break;
            case SessionEntryKinds.BranchSummary:
                Block(html, "branch-summary", $"branch summary · from {entry.FromId}", Pre(entry.Summary ?? ""));
                break;
            default:
                if (entry.Message is { } message)
                {
                    RenderMessage(html, message);
                }
                break;
        }
    }

    private static void RenderMessage(StringBuilder html, AgentMessage message)
    {
        switch (message.Role)
        {
            case Roles.User:
                Block(html, "user", "user", Blocks(message.Content));
                break;
            case Roles.Assistant:
                Block(html, "assistant", $"assistant · {message.Model}", Blocks(message.Content));
                break;
            case Roles.FunctionResult:
                Block(html, "function-result", $"function result · {message.FunctionId}", Blocks(message.Content));
                break;
            default:
                Block(html, "custom", $"custom · {message.CustomType}", Pre(message.Text));
                break;
        }
    }

    private static string Blocks(IEnumerable<ContentBlock> blocks)
    {
        var body = new StringBuilder();
        foreach (var block in blocks)
        {
            body.Append(block.Type switch
            {
                ContentTypes.Text => Pre(block.Text ?? ""),
                ContentTypes.Thinking => $"<div class=\"thinking\">{Pre(block.Text ?? "")}</div>",
                ContentTypes.FunctionCall => Pre($"function call: {block.FunctionId} {block.Arguments?.GetRawText() ?? "{}"}"),
                ContentTypes.Image => Pre($"[image: {block.MimeType}]"),
                _ => "",
            });
        }
        return body.ToString();
    }

    /// <summary>The label is plain text (encoded here); <paramref name="body"/> is already encoded markup.</summary>
    private static void Block(StringBuilder html, string cssClass, string label, string body) =>
        html.Append("<div class=\"entry ").Append(cssClass).Append("\"><div class=\"label\">").Append(E(label)).Append("</div>")
            .Append(body).Append("</div>\n");

    private static string Pre(string text) => $"<pre>{E(text)}</pre>";

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
