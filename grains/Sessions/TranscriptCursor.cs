using System.Text;
using Harness.Validation;

namespace Harness.Sessions;

/// <summary>
/// The opaque <c>session::messages</c> cursor: the id of the last entry a page returned, so the next page starts after
/// it on the active path (appends between pages do not shift it).
/// </summary>
public static class TranscriptCursor
{
    private const string Prefix = "after:";

    public static string After(string entryId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + entryId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The entry id inside <paramref name="cursor"/>; <c>invalid_payload</c> on <c>cursor</c> when it is not one of ours.</summary>
    public static string EntryId(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=')));
            if (text.StartsWith(Prefix, StringComparison.Ordinal) && text.Length > Prefix.Length)
            {
                return text[Prefix.Length..];
            }
        }
        catch (FormatException)
        {
        }
        throw new PayloadValidationException("cursor", "is not a session::messages cursor (pass back next_cursor unchanged)");
    }
}
