using System.Text;
using Harness.Bridge.Functions.Payloads;
using Harness.Sessions;
using Harness.Validation;

namespace Harness.Bridge.Functions;

/// <summary>
/// <c>session::list</c> over the sharded session directory (the same rows as <c>session-tree::list</c>): filter by
/// status and metadata subset, order, then a page after the cursor (an offset bound to the order it was made for).
/// </summary>
public static class ManagedSessionListing
{
    public const string UpdatedDesc = "updated_desc";
    public const string CreatedDesc = "created_desc";
    public const string CreatedAsc = "created_asc";
    public static readonly string[] Orders = [UpdatedDesc, CreatedDesc, CreatedAsc];

    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static async Task<ManagedSessionListResult> ListAsync(IGrainFactory grains, ManagedSessionListRequest request)
    {
        var order = request.Order is null ? UpdatedDesc : Require.OneOf(request.Order, "order", Orders);
        var limit = request.Limit ?? DefaultLimit;
        if (limit < 1)
        {
            throw new PayloadValidationException("limit", "must be at least 1");
        }
        limit = Math.Min(limit, MaxLimit);
        if (request.Status is not null)
        {
            Require.OneOf(request.Status, "status", SessionStatuses.All);
        }
        if (request.Metadata is { } filter && filter.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadValidationException("metadata", "must be an object (keys every listed session's metadata must equal)");
        }
        var offset = request.Cursor is null ? 0 : Offset(request.Cursor, order);
        var shards = await Task.WhenAll(Enumerable.Range(0, SessionDirectory.Shards).Select(i => grains.GetGrain<ISessionDirectoryGrain>(i).Rows()));
        var rows = shards.SelectMany(r => r)
            .Where(r => request.Status is null || (r.Status ?? SessionStatuses.Idle) == request.Status)
            .Where(r => request.Metadata is not { } m || Matches(r.Metadata, m));
        var sorted = order switch
        {
            CreatedAsc => rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.SessionId, StringComparer.Ordinal),
            CreatedDesc => rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.SessionId, StringComparer.Ordinal),
            _ => rows.OrderByDescending(r => r.UpdatedAt).ThenByDescending(r => r.SessionId, StringComparer.Ordinal),
        };
        var all = sorted.ToList();
        var page = all.Skip(offset).Take(limit).Select(View).ToList();
        var next = offset + page.Count < all.Count ? Cursor(offset + page.Count, order) : null;
        return new ManagedSessionListResult { Sessions = page, NextCursor = next };
    }

    private static ManagedSessionMeta View(SessionListRow row) => new()
    {
        SessionId = row.SessionId, Title = row.DisplayName ?? "", Description = row.Description ?? "",
        Status = row.Status ?? SessionStatuses.Idle, StatusReason = row.StatusReason, Metadata = row.Metadata,
        CreatedAt = row.CreatedAt, UpdatedAt = row.UpdatedAt, MessageCount = row.MessageCount ?? 0, Cwd = row.Cwd,
    };

    /// <summary>Every key of <paramref name="filter"/> is in <paramref name="metadata"/> with the same JSON value.</summary>
    private static bool Matches(JsonElement? metadata, JsonElement filter)
    {
        if (metadata is not { ValueKind: JsonValueKind.Object } m)
        {
            return !filter.EnumerateObject().Any();
        }
        foreach (var key in filter.EnumerateObject())
        {
            if (!m.TryGetProperty(key.Name, out var value) || !JsonElement.DeepEquals(value, key.Value))
            {
                return false;
            }
        }
        return true;
    }

    private static string Cursor(int offset, string order) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{order}:{offset}"));

    private static int Offset(string cursor, string order)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            var colon = text.LastIndexOf(':');
            if (colon > 0 && int.TryParse(text[(colon + 1)..], out var offset) && offset >= 0)
            {
                return text[..colon] == order
                    ? offset
                    : throw new PayloadValidationException("cursor", $"was made for order '{text[..colon]}', not '{order}' (send the same order with it)");
            }
        }
        catch (FormatException)
        {
        }
        throw new PayloadValidationException("cursor", "is not a session::list cursor (pass back next_cursor unchanged)");
    }
}
