using System.Text.RegularExpressions;

namespace Cadre.Security;

/// <summary>
/// Hides secrets in text before it is stored or shown: every value it was given as a secret (API keys, tokens and
/// passwords from the host's environment, values handed to an MCP server) and the credentials written into URLs
/// (<c>http://user:password@host</c>, <c>?api_key=...</c>).
/// </summary>
public sealed partial class SecretRedactor
{
    /// <summary>What a hidden secret is replaced with.</summary>
    public const string Mask = "[redacted]";

    // Short values (a port, "true") would hide ordinary text and are no secret worth the name.
    private const int MinimumLength = 8;
    private static readonly string[] SecretWords = ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH", "CONNECTION_STRING", "COOKIE", "SESSION"];
    private readonly string[] _secrets;

    /// <summary>Creates a redactor for the given secret values.</summary>
    /// <param name="secrets">The values to hide; those shorter than 8 characters are ignored.</param>
    public SecretRedactor(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = [.. secrets.OfType<string>().Select(s => s.Trim()).Where(s => s.Length >= MinimumLength).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
    }

    /// <summary>A redactor that hides only credentials in URLs.</summary>
    public static SecretRedactor None { get; } = new([]);

    /// <summary>How many secret values it hides.</summary>
    public int Count => _secrets.Length;

    /// <summary>A redactor for the secrets among environment variables: those whose name says key, token, secret,
    /// password, credential, auth, cookie or session (<c>OPENAI_API_KEY</c>, <c>GITHUB_TOKEN</c>, <c>PGPASSWORD</c>).</summary>
    /// <param name="variables">The variables (name, value).</param>
    /// <param name="also">Further values to hide.</param>
    public static SecretRedactor FromEnvironment(IEnumerable<KeyValuePair<string, string?>> variables, IEnumerable<string?>? also = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return new SecretRedactor(variables.Where(v => IsSecretName(v.Key)).Select(v => v.Value).Concat(also ?? []));
    }

    /// <summary>Whether a variable's name says it holds a secret.</summary>
    /// <returns>True for names like <c>OPENAI_API_KEY</c>.</returns>
    public static bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Hides credentials written into URLs: the password of <c>scheme://user:password@host</c> and the value
    /// of query parameters such as <c>api_key</c>, <c>token</c> or <c>password</c>.</summary>
    /// <returns>The text with those credentials replaced by <c>***</c>.</returns>
    public static string RedactUrlCredentials(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("://", StringComparison.Ordinal) && !text.Contains('=', StringComparison.Ordinal))
        {
            return text;
        }

        text = UserInfo().Replace(text, "$1$2:***@");
        return QueryCredential().Replace(text, "$1***");
    }

    /// <summary>Hides every secret value and every credential in a URL.</summary>
    /// <param name="text">The text; null stays null.</param>
    /// <returns>The text with secrets replaced by <see cref="Mask"/>.</returns>
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return RedactUrlCredentials(text);
    }

    [GeneratedRegex(@"([a-zA-Z][a-zA-Z0-9+.\-]*://)([^/\s:@]*):([^/\s@]+)@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"([?&](?:api[_\-]?key|key|token|access_token|auth|password|secret)=)[^&\s#]+", RegexOptions.IgnoreCase)]
    private static partial Regex QueryCredential();
}
