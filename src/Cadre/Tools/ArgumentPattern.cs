using System.Text;
using System.Text.RegularExpressions;

namespace Cadre.Tools;

/// <summary>
/// A wildcard pattern of an approval rule, compiled once. <c>*</c> matches any run of characters within one element
/// and <c>?</c> one such character: neither crosses a separator (a comma, a semicolon, a slash or backslash, white
/// space or a control character), so <c>*@example.com</c> cannot match <c>evil@attacker.com, john@example.com</c> or a
/// value with a line break, and <c>/srv/out/*</c> cannot match <c>/srv/out/../../etc/passwd</c>. <c>**</c> matches
/// anything, separators included, for free text. Matching ignores case.
/// </summary>
internal sealed class ArgumentPattern
{
    private const string Element = @"[^,;/\\\s\p{Cc}]";
    private readonly Regex _regex;

    public ArgumentPattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Text = pattern;
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else if (c == '*')
            {
                regex.Append(Element).Append('*');
            }
            else if (c == '?')
            {
                regex.Append(Element);
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        // Non-backtracking: a hostile value costs time linear in its length, whatever the pattern.
        _regex = new Regex(regex.Append('$').ToString(),
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking);
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>Whether a value matches; a null pattern matches everything.</summary>
    public static bool Matches(ArgumentPattern? pattern, string value) => pattern is null || pattern.IsMatch(value);

    public bool IsMatch(string value) => _regex.IsMatch(value);

    public override string ToString() => Text;
}
