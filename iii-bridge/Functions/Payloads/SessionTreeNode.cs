using Harness.Sessions;

namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>session-tree::tree</c> answer (§3.1 <c>TreeNode</c>): an entry and its children, recursively.</summary>
public sealed record SessionTreeNode
{
    [JsonPropertyName("entry")] public required SessionEntryView Entry { get; init; }
    [JsonPropertyName("children")] public List<SessionTreeNode> Children { get; init; } = [];

    /// <summary>
    /// Nests a flat tree: the first root (in append order) is the root, children in append order. Throws
    /// <c>entry_not_found</c> when there are no entries or no root, as the original.
    /// </summary>
    public static SessionTreeNode Build(SessionTreeView tree)
    {
        if (tree.Entries.Count == 0)
        {
            throw SessionException.EntryNotFound($"session {tree.SessionId} has no entries");
        }
        var root = tree.Entries.FirstOrDefault(e => e.ParentId is null)
            ?? throw SessionException.EntryNotFound($"session {tree.SessionId} has no root entry");
        var nodes = tree.Entries.ToDictionary(e => e.Id, e => new SessionTreeNode { Entry = SessionEntryView.From(e) }, StringComparer.Ordinal);
        foreach (var entry in tree.Entries)
        {
            if (entry.ParentId is not null && nodes.TryGetValue(entry.ParentId, out var parent))
            {
                parent.Children.Add(nodes[entry.Id]);
            }
        }
        return nodes[root.Id];
    }
}
