namespace Cadre.Embeddings;

/// <summary>How a local model's token vectors become one sentence vector.</summary>
public enum LocalPooling
{
    /// <summary>The vector of the first ([CLS]) token, as arctic-embed was trained.</summary>
    Cls,

    /// <summary>The mean of the token vectors (padding left out), as sentence-transformers models are trained.</summary>
    Mean,
}
