using Cadre.Memory.Benchmarks;

namespace Cadre.Tests.Benchmarks;

/// <summary>The benchmark reads the published LoCoMo layout as it is, quirks included.</summary>
public sealed class LocomoDatasetTests
{
    private const string Sample = """
        [{
          "sample_id": "conv-26",
          "conversation": {
            "speaker_a": "Caroline", "speaker_b": "Melanie",
            "session_2_date_time": "1:14 pm on 25 May, 2023",
            "session_2": [ { "speaker": "Caroline", "dia_id": "D2:1", "text": "I ran a charity race." } ],
            "session_10_date_time": "8:56 pm on 20 July, 2023",
            "session_10": [ { "speaker": "Melanie", "text": "Look at this!", "img_url": ["x"], "blip_caption": "a photo of a sunset" } ],
            "session_1_date_time": "1:56 pm on 8 May, 2023",
            "session_1": [
              { "speaker": "Caroline", "dia_id": "D1:1", "text": "Hey Mel!" },
              { "speaker": "Melanie", "dia_id": "D1:2", "text": "I painted a sunrise last year." }
            ]
          },
          "qa": [
            { "question": "When did Melanie paint a sunrise?", "answer": 2022, "evidence": ["D1:2"], "category": 2 },
            { "question": "What did Caroline do?", "answer": "a race", "evidence": ["D1:1; D2:1"], "category": 1 },
            { "question": "Padded?", "answer": "x", "evidence": ["D1:02"], "category": 4 },
            { "question": "What did Caroline paint?", "adversarial_answer": "a sunrise", "evidence": ["D1:2"], "category": 5 },
            { "question": "No evidence", "answer": "x", "evidence": [], "category": 3 },
            { "question": "Bad evidence", "answer": "x", "evidence": ["see above"], "category": 3 }
          ],
          "event_summary": {}, "observation": {}, "session_summary": {}
        }]
        """;

    [Theory]
    [InlineData("D8:6; D9:17", new[] { "D8:6", "D9:17" })]
    [InlineData("D30:05", new[] { "D30:5" })]
    [InlineData("d 3 : 7", new[] { "D3:7" })]
    [InlineData("D1:3, D1:3", new[] { "D1:3" })]
    [InlineData("no id here", new string[0])]
    public void Evidence_ids_are_normalised(string written, string[] normal) => Assert.Equal(normal, LocomoDataset.NormalizeEvidence(written));

    [Fact]
    public void Sessions_are_read_in_number_order_with_photo_captions_and_ids_for_turns_that_lack_them()
    {
        var sample = Assert.Single(LocomoDataset.Parse(Sample, "locomo.json").Samples);

        Assert.Equal(("conv-26", "Caroline", "Melanie"), (sample.Id, sample.SpeakerA, sample.SpeakerB));
        Assert.Equal(["D1:1", "D1:2", "D2:1", "D10:1"], sample.Turns.Select(t => t.DiaId));
        Assert.Equal("Look at this! [shares a photo: a photo of a sunset]", sample.Turns[3].Text);
        Assert.Equal("1:56 pm on 8 May, 2023", sample.Turns[0].SessionDate);
    }

    [Fact]
    public void Questions_keep_their_category_and_answer_and_those_without_usable_evidence_are_skipped()
    {
        var dataset = LocomoDataset.Parse(Sample, "locomo.json");
        var questions = dataset.Samples[0].Questions;

        Assert.Equal(2, dataset.SkippedQuestions);
        Assert.Equal([2, 1, 4, 5], questions.Select(q => q.Category));
        Assert.Equal("2022", questions[0].Answer);
        Assert.Equal(["D1:1", "D2:1"], questions[1].Evidence);
        Assert.Equal(["D1:2"], questions[2].Evidence);
        Assert.Equal("a sunrise", questions[3].Answer);
    }

    [Theory]
    [InlineData("{ not json", "not JSON")]
    [InlineData("42", "an array of samples")]
    [InlineData("[ { \"qa\": [] } ]", "sample 1 has no 'conversation' object")]
    [InlineData("[ { \"conversation\": { \"speaker_a\": \"A\" } } ]", "no 'session_N' arrays")]
    public void A_file_of_another_layout_is_a_format_error_that_says_where(string json, string problem)
    {
        var error = Assert.Throws<FormatException>(() => LocomoDataset.Parse(json, "data.json"));

        Assert.StartsWith("data.json:", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Generated_data_has_the_layout_every_evidence_id_names_a_turn_and_the_real_quirks_appear()
    {
        var json = LocomoGenerator.Generate(new LocomoGeneratorOptions { Samples = 2, Sessions = 4, TurnsPerSession = 10, Questions = 30, Seed = 3 });
        var text = json.ToJsonString();
        var dataset = LocomoDataset.Parse(text, "synthetic");

        Assert.Equal(2, dataset.Samples.Count);
        Assert.All(dataset.Samples, s => Assert.Equal(40, s.Turns.Count));
        Assert.All(dataset.Samples.SelectMany(s => s.Questions.Select(q => (s, q))), x => Assert.All(x.q.Evidence, e => Assert.Contains(x.s.Turns, t => t.DiaId == e)));
        Assert.True(dataset.SkippedQuestions > 0);
        Assert.Contains(dataset.Samples.SelectMany(s => s.Questions), q => q.Category == 5);
        Assert.Matches(@"""D\d+:0\d""", text);
        Assert.Equal(text, LocomoGenerator.Generate(new LocomoGeneratorOptions { Samples = 2, Sessions = 4, TurnsPerSession = 10, Questions = 30, Seed = 3 }).ToJsonString());
    }

    [Fact]
    public void A_question_is_scored_by_where_its_evidence_ranks()
    {
        IReadOnlyList<IReadOnlyCollection<string>> ranked = [["D1:1"], ["D1:2"], ["D2:1", "D2:2"], ["D3:1"], ["D4:1"], ["D5:5"]];

        var (r1, r5, r10, rr, _) = RetrievalBenchmark.Score(["D2:2", "D5:5"], ranked, 1.5);

        Assert.Equal((0.0, 0.5, 1.0, 1.0 / 3), (r1, r5, r10, rr));
        Assert.Equal(0.0, RetrievalBenchmark.Score(["D9:9"], ranked, 1).Rr);
        Assert.Equal(2, RetrievalScores.Percentile([1.0, 2.0, 3.0, 4.0], 0.5));
        Assert.Equal(4, RetrievalScores.Percentile([1.0, 2.0, 3.0, 4.0], 0.95));
    }
}
