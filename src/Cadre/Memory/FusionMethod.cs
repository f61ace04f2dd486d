namespace Cadre.Memory;

/// <summary>How recall fuses the keyword and vector candidates.</summary>
public enum FusionMethod
{
    /// <summary>On scores calibrated per list (<see cref="ScoreFusion.Calibrated{TKey}"/>), the default.</summary>
    Calibrated,

    /// <summary>By reciprocal rank (<see cref="RankFusion.Reciprocal{TKey}"/>): ranks only, every list an equal vote.</summary>
    Reciprocal,
}
