using System.Globalization;
using System.Text.Json.Nodes;

namespace Cadre.Memory.Benchmarks;

/// <summary>
/// Writes synthetic conversations with questions in the LoCoMo JSON layout, for the benchmark's own tests and for
/// running it without the public dataset: two speakers chat over dated sessions, mixing small talk with personal facts;
/// questions ask about those facts in other words (categories 1–5), with evidence written the ways the real dataset
/// writes it (<c>D2:5</c>, <c>D8:6; D9:17</c>, <c>D3:05</c>), and a few questions without evidence.
/// </summary>
public static class LocomoGenerator
{
    private static readonly string[] Names = ["Caroline", "Melanie", "Jon", "Gina", "Tim", "Maria", "Deborah", "Jolene", "Andrew", "Audrey", "Calvin", "Dave"];
    private static readonly string[] Pets = ["dog", "cat", "parrot", "rabbit", "turtle", "hamster"];
    private static readonly string[] PetNames = ["Oscar", "Luna", "Biscuit", "Pepper", "Milo", "Hazel", "Ziggy", "Nala"];
    private static readonly string[] Instruments = ["violin", "piano", "cello", "ukulele", "drums", "trumpet"];
    private static readonly string[] Cities = ["Lisbon", "Denver", "Osaka", "Montreal", "Nairobi", "Glasgow", "Perth", "Valencia"];
    private static readonly string[] Companies = ["a bakery", "a robotics startup", "the city library", "a shipping firm", "a vet clinic", "a design studio"];
    private static readonly string[] Hobbies = ["pottery", "rock climbing", "birdwatching", "salsa dancing", "chess", "gardening"];
    private static readonly string[] Books = ["Dune", "Beloved", "Circe", "Educated", "Matilda", "Rebecca"];
    private static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] SmallTalk =
    [
        "Hey! How has your week been?", "That sounds great, I am happy for you!", "Haha, I know exactly what you mean.",
        "Work has been busy but good.", "Thanks for asking, things are calm here.", "Wow, tell me more about that!",
        "I totally get it, take care of yourself.", "Same here, the weather has been lovely.", "Let's catch up again soon!",
        "That is so cool, I never tried that.", "I have been reading a lot lately.", "We should plan something fun together.",
    ];

    /// <summary>Writes a dataset to a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How much data.</param>
    public static void Write(string path, LocomoGeneratorOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllText(path, Generate(options).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Makes a dataset.</summary>
    /// <param name="options">How much data.</param>
    /// <returns>The samples, as LoCoMo JSON.</returns>
    public static JsonArray Generate(LocomoGeneratorOptions? options = null)
    {
        options ??= new LocomoGeneratorOptions();
#pragma warning disable CA5394 // Benchmark data: reproducible from a seed, not security.
        var random = new Random(options.Seed);
        var samples = new JsonArray();
        for (var s = 0; s < options.Samples; s++)
        {
            var a = Names[(2 * s) % Names.Length];
            var b = Names[((2 * s) + 1) % Names.Length];
            var conversation = new JsonObject { ["speaker_a"] = a, ["speaker_b"] = b };
            var facts = new List<(string Id, string Speaker, string Kind, string[] Slots, string Date)>();
            for (var session = 1; session <= options.Sessions; session++)
            {
                var date = new DateTime(2023, 1, 1).AddDays((session * 17) + random.Next(10)).AddMinutes(random.Next(540, 1320));
                var dateText = date.ToString("h:mm tt", CultureInfo.InvariantCulture).ToLowerInvariant() + " on " + date.ToString("d MMMM, yyyy", CultureInfo.InvariantCulture);
                conversation[$"session_{session}_date_time"] = dateText;
                var turns = new JsonArray();
                for (var t = 1; t <= options.TurnsPerSession; t++)
                {
                    var speaker = t % 2 == 1 ? a : b;
                    var id = $"D{session}:{t}";
                    string text;
                    if (random.NextDouble() < 0.4)
                    {
                        var (kind, slots, sentence) = Fact(random, date);
                        facts.Add((id, speaker, kind, slots, date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)));
                        text = sentence;
                    }
                    else
                    {
                        text = SmallTalk[random.Next(SmallTalk.Length)];
                    }

                    turns.Add(new JsonObject { ["speaker"] = speaker, ["dia_id"] = id, ["text"] = text });
                }

                conversation[$"session_{session}"] = turns;
            }

            samples.Add(new JsonObject
            {
                ["sample_id"] = $"conv-{s + 1}",
                ["conversation"] = conversation,
                ["qa"] = Questions(random, facts, options.Questions, a, b),
                ["event_summary"] = new JsonObject(),
                ["observation"] = new JsonObject(),
                ["session_summary"] = new JsonObject(),
            });
        }
#pragma warning restore CA5394

        return samples;
    }

#pragma warning disable CA5394 // Benchmark data: reproducible from a seed, not security.
    private static (string Kind, string[] Slots, string Sentence) Fact(Random random, DateTime date)
    {
        string Pick(string[] items) => items[random.Next(items.Length)];
        switch (random.Next(6))
        {
            case 0:
                var pet = Pick(Pets);
                var name = Pick(PetNames);
                return ("pet", [pet, name], $"Big news: I adopted a {pet} last week and named it {name}!");
            case 1:
                var instrument = Pick(Instruments);
                return ("instrument", [instrument], $"I finally started taking {instrument} lessons on Tuesday evenings.");
            case 2:
                var city = Pick(Cities);
                var company = Pick(Companies);
                return ("move", [city, company], $"My sister just moved to {city} to work at {company}.");
            case 3:
                var hobby = Pick(Hobbies);
                return ("hobby", [hobby], $"Lately I have been really into {hobby}, it clears my head.");
            case 4:
                var book = Pick(Books);
                return ("book", [book], $"Our book club picked {book} for {Months[date.Month - 1]}, I loved it.");
            default:
                var trip = Pick(Cities);
                return ("trip", [trip], $"We are planning a trip to {trip} in {Months[(date.Month + 2) % 12]} with the kids.");
        }
    }

    private static JsonArray Questions(Random random, List<(string Id, string Speaker, string Kind, string[] Slots, string Date)> facts, int count, string a, string b)
    {
        var questions = new JsonArray();
        if (facts.Count == 0)
        {
            return questions;
        }

        for (var q = 0; q < count; q++)
        {
            var fact = facts[random.Next(facts.Count)];
            var other = facts[random.Next(facts.Count)];
            var category = (q % 5) + 1;
            // The real data writes evidence in several ways; so does this.
            var evidence = random.Next(6) switch
            {
                0 => new JsonArray(Padded(fact.Id)),
                1 when category == 1 => new JsonArray($"{fact.Id}; {other.Id}"),
                _ => category == 1 ? new JsonArray(fact.Id, other.Id) : new JsonArray(fact.Id),
            };
            if (q % 11 == 10)
            {
                evidence = [];
            }

            var question = category switch
            {
                1 => $"What did {fact.Speaker} say about {Subject(fact)} and about {Subject(other)}?",
                2 => $"When did {fact.Speaker} mention {Subject(fact)}?",
                3 => $"Which {fact.Kind} would {fact.Speaker} probably enjoy talking about, given {Subject(fact)}?",
                4 => $"What did {fact.Speaker} share about {Subject(fact)}?",
                _ => $"What did {(fact.Speaker == a ? b : a)} say about {Subject(fact)}?",
            };
            var answer = category == 2 ? fact.Date : string.Join(", ", fact.Slots);
            var item = new JsonObject { ["question"] = question, ["evidence"] = evidence, ["category"] = category };
            item[category == 5 ? "adversarial_answer" : "answer"] = answer;
            questions.Add(item);
        }

        return questions;
    }
#pragma warning restore CA5394

    private static string Padded(string id)
    {
        var parts = id.Split(':');
        return $"{parts[0]}:{int.Parse(parts[1], CultureInfo.InvariantCulture):00}";
    }

    private static string Subject((string Id, string Speaker, string Kind, string[] Slots, string Date) fact) => fact.Kind switch
    {
        "pet" => $"the {fact.Slots[0]} called {fact.Slots[1]}",
        "instrument" => $"learning the {fact.Slots[0]}",
        "move" => $"a sister living in {fact.Slots[0]}",
        "hobby" => $"getting into {fact.Slots[0]}",
        "book" => $"reading {fact.Slots[0]}",
        _ => $"a holiday in {fact.Slots[0]}",
    };
}
