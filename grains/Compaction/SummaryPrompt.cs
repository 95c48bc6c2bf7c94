using System.Text;

namespace Harness.Compaction;

/// <summary>
/// The summariser's prompts (spec §3.2 <c>buildPrompt</c>): an anchored summary with fixed sections, updated from the
/// previous summary when there is one; the conversation is rendered as <c>[role]</c> blocks and <c>[tool_call]</c> lines.
/// </summary>
public static class SummaryPrompt
{
    private const string Template = """
        ## Goal
        ## Constraints & Preferences
        ## Progress
        ### Done
        ### In Progress
        ### Blocked
        ## Key Decisions
        ## Tool Calls Made
        ## Next Steps
        ## Critical Context
        ## Relevant Files

        Keep every section, even when it is empty. Use terse bullets. Preserve exact paths, commands and ids. Do not
        mention the summary process.
        """;

    public const string UserInstruction =
        "Summarise the conversation below following the system-prompt structure exactly. Keep identifiers verbatim.";

    public static string System(string? previousSummary) => previousSummary is { Length: > 0 }
        ? "Update the anchored summary below using the conversation history above. Preserve still-true details, remove stale " +
          $"details, and merge in the new facts.\n<previous-summary>\n{previousSummary}\n</previous-summary>\n\n{Template}"
        : $"Create a new anchored summary from the conversation history above.\n\n{Template}";

    /// <summary>The user prompt: media stripped, function outputs clipped to <paramref name="maxToolChars"/>.</summary>
    public static string User(IEnumerable<AgentMessage> head, int maxToolChars)
    {
        var text = new StringBuilder(UserInstruction).Append("\n<conversation>");
        foreach (var message in head)
        {
            text.Append("\n[").Append(message.Role).Append("]\n");
            foreach (var block in message.Content)
            {
                switch (block.Type)
                {
                    case ContentTypes.Text:
                        text.Append(message.Role == Roles.FunctionResult ? Clip(block.Text ?? "", maxToolChars) : block.Text).Append('\n');
                        break;
                    case ContentTypes.FunctionCall:
                        text.Append("[tool_call] ").Append(block.FunctionId).Append(' ')
                            .Append(block.Arguments is { } args ? args.GetRawText() : "{}").Append('\n');
                        break;
                }
            }
        }
        return text.Append("</conversation>").ToString();
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + "…[truncated]";
}
