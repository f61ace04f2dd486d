using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Cadre.Specs;

public static partial class SpecLoader
{
    // Reads the spec's 'memory:' section: context window, reducer, recall, writing and embeddings.
    private sealed partial class Reader
    {
        private static readonly string[] MemoryKeys = ["context_tokens", "reducer", "encoding", "scope", "recall_share", "write", "knowledge", "episodes", "lessons", "embeddings"];
        private static readonly string[] Reducers = ["sliding-window", "summarize", "relevance"];
        private static readonly string[] Encodings = ["o200k_base", "cl100k_base"];

        public MemorySpec Memory(YamlNode? node)
        {
            if (node is null)
            {
                return new MemorySpec();
            }

            var map = Mapping(node, "'memory'");
            CheckKeys(map, MemoryKeys, "'memory'");
            var defaults = new MemorySpec();
            return new MemorySpec
            {
                ContextTokens = OptionalInt(map, "context_tokens", 256) ?? defaults.ContextTokens,
                Reducer = OptionalValue(map, "reducer") is { } reducer ? OneOf(reducer, Reducers, "memory.reducer") : defaults.Reducer,
                Encoding = OptionalValue(map, "encoding") is { } encoding ? OneOf(encoding, Encodings, "memory.encoding") : defaults.Encoding,
                Scope = OptionalValue(map, "scope") is { } scope ? MemoryScopeOf(scope) : defaults.Scope,
                RecallShare = OptionalShare(map, "recall_share") ?? defaults.RecallShare,
                Write = OptionalValue(map, "write") is { } write ? OneOf(write, ["model", "off"], "memory.write") == "model" : defaults.Write,
                Knowledge = OptionalValue(map, "knowledge") is { } knowledge ? OneOf(knowledge, ["model", "off"], "memory.knowledge") == "model" : defaults.Knowledge,
                Episodes = OptionalValue(map, "episodes") is { } episodes ? OneOf(episodes, ["on", "off"], "memory.episodes") == "on" : defaults.Episodes,
                Lessons = OptionalValue(map, "lessons") is { } lessons ? OneOf(lessons, ["model", "off"], "memory.lessons") == "model" : defaults.Lessons,
                Embeddings = OptionalValue(map, "embeddings") is { } embeddings ? EmbeddingsOf(embeddings) : defaults.Embeddings,
            };
        }

        private static string EmbeddingsOf(SpecValue value)
        {
            // The host makes the embedder (EmbeddingCatalog); the spec checks the name's form so a typo fails at load.
            var text = value.Value.Trim();
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var provider = colon < 0 ? text : text[..colon];
            var known = provider switch
            {
                "hashing" => colon < 0,
                "local" or "openai" or "ollama" => colon > 0 && text.Length > colon + 1,
                _ => false,
            };
            return known
                ? text
                : throw new SpecException(value.Location, $"memory.embeddings must name an embedder like local:arctic-xs, local:minilm, hashing, openai:text-embedding-3-small or ollama:nomic-embed-text, not '{value.Value}'.");
        }

        private static string MemoryScopeOf(SpecValue value)
        {
            try
            {
                return Cadre.Memory.MemoryScope.Parse(value.Value).ToString();
            }
            catch (FormatException ex)
            {
                throw new SpecException(value.Location, $"memory.scope: {ex.Message}", ex);
            }
        }

        private double? OptionalShare(YamlMappingNode map, string key)
        {
            if (OptionalValue(map, key) is not { } value)
            {
                return null;
            }

            if (!double.TryParse(value.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) || share is <= 0 or > 0.9)
            {
                throw new SpecException(value.Location, $"memory.{key} must be a fraction above 0 and at most 0.9 (like 0.15), not '{value.Value}'.");
            }

            return share;
        }
    }
}
