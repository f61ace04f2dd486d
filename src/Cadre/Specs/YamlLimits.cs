using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Cadre.Specs;

/// <summary>
/// Bounds on the YAML Cadre reads (specs, approval policies): a file larger than <see cref="MaxChars"/> or nested
/// deeper than <see cref="MaxDepth"/> is refused with its location before it is loaded, since loading a deeply nested
/// document recurses and a hostile file would otherwise end the process with a stack overflow.
/// </summary>
public static class YamlLimits
{
    /// <summary>The deepest nesting of mappings and lists accepted (64: real specs use fewer than 8).</summary>
    public const int MaxDepth = 64;

    /// <summary>The largest text accepted, in characters (1 MiB).</summary>
    public const int MaxChars = 1 << 20;

    /// <summary>Loads YAML text within the limits.</summary>
    /// <param name="text">The YAML, at most <see cref="MaxChars"/> characters and <see cref="MaxDepth"/> deep.</param>
    /// <param name="file">Where it came from, for messages.</param>
    /// <exception cref="SpecException">The text is too large, too deep or not valid YAML; the message says where.</exception>
    public static YamlStream Load(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        if (text.Length > MaxChars)
        {
            throw new SpecException(new SpecLocation(file, 1, 1), $"the file is {text.Length:N0} characters long; at most {MaxChars:N0} are read.");
        }

        try
        {
            // The parser is iterative; only loading the document tree recurses, so depth is checked on the events first.
            var parser = new Parser(new StringReader(text));
            var depth = 0;
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case MappingStart or SequenceStart:
                        if (++depth > MaxDepth)
                        {
                            var at = parser.Current.Start;
                            throw new SpecException(new SpecLocation(file, (int)at.Line, (int)at.Column), $"nested more than {MaxDepth} levels deep.");
                        }

                        break;
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                }
            }

            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream;
        }
        catch (YamlException ex)
        {
            var problem = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
            throw new SpecException(new SpecLocation(file, (int)ex.Start.Line, (int)ex.Start.Column), $"not valid YAML: {problem}", ex);
        }
    }
}
