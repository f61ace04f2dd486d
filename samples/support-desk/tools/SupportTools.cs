using System.ComponentModel;
using System.Globalization;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace SupportDesk;

/// <summary>The support desk's tools, over the sample database and an outbox folder in the workspace.</summary>
public sealed class SupportTools
{
    private const int MaxQueryLength = 200;
    private const int MaxRecipients = 10;
    private readonly SupportDatabase _database;

    /// <summary>Creates the tools for a workspace: the database is <c>support-desk/support.db</c> and the outbox
    /// <c>support-desk/outbox/</c> inside it.</summary>
    /// <param name="environment">Where the workspace is.</param>
    public SupportTools(ToolEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var home = Path.Combine(environment.WorkspaceDirectory, "support-desk");
        _database = new SupportDatabase(Path.Combine(home, "support.db"));
        Outbox = Path.Combine(home, "outbox");
    }

    /// <summary>The folder sent emails are written to.</summary>
    public string Outbox { get; }

    /// <summary>Finds customers by email, name or customer id.</summary>
    /// <param name="query">An email address, part of a name, or a customer id.</param>
    /// <returns>The matching customers.</returns>
    [Tool(Category = "crm")]
    [Description("Find customers by email address, name or customer id. Returns id, name, email, plan and customer-since date.")]
    public IReadOnlyList<Customer> SearchCustomer([Description("An email address, part of a name, or a customer id such as C-1001.")] string query)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        query = query.Trim();
        if (query.Length > MaxQueryLength)
        {
            throw new ArgumentException($"The query is {query.Length} characters long; search with at most {MaxQueryLength} (an email address, a name or an id).");
        }

        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        // The name is matched as text: % and _ in the query are escaped, so '%' finds a name with a '%', not everyone.
        command.CommandText = """
            SELECT id, name, email, plan, since FROM customers
            WHERE lower(email) = lower($q) OR id = upper($q) OR lower(name) LIKE '%' || lower($pattern) || '%' ESCAPE '\'
            ORDER BY id LIMIT 5;
            """;
        command.Parameters.AddWithValue("$q", query);
        command.Parameters.AddWithValue("$pattern", query.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal));
        using var reader = command.ExecuteReader();
        var customers = new List<Customer>();
        while (reader.Read())
        {
            customers.Add(new Customer(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return customers;
    }

    /// <summary>Looks up an invoice with every charge made for it.</summary>
    /// <param name="invoiceId">The invoice id.</param>
    /// <returns>The invoice.</returns>
    [Tool(Category = "crm", Tags = ["billing"], CacheSeconds = 30)]
    [Description("Look up an invoice by id (such as INV-1001) with its amount, status and every card charge made for it.")]
    public Invoice LookupInvoice([Description("The invoice id, such as INV-1001.")] string invoiceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceId);
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, customer_id, issued, amount, currency, status FROM invoices WHERE id = upper($id);";
        command.Parameters.AddWithValue("$id", invoiceId.Trim());
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new ArgumentException($"There is no invoice '{invoiceId}'. Invoice ids look like INV-1001.");
        }

        var id = reader.GetString(0);
        var invoice = new Invoice(id, reader.GetString(1), reader.GetString(2), reader.GetDouble(3), reader.GetString(4), reader.GetString(5), []);
        using var charges = connection.CreateCommand();
        charges.CommandText = "SELECT id, charged_on, amount, card FROM charges WHERE invoice_id = $id ORDER BY id;";
        charges.Parameters.AddWithValue("$id", id);
        using var rows = charges.ExecuteReader();
        var list = new List<Charge>();
        while (rows.Read())
        {
            list.Add(new Charge(rows.GetString(0), rows.GetString(1), rows.GetDouble(2), rows.GetString(3)));
        }

        return invoice with { Charges = list };
    }

    /// <summary>Opens a support ticket; an open ticket with the same customer and subject is returned instead of a
    /// duplicate. Idempotent on the call's key (<see cref="ToolCaller.IdempotencyKey"/>), as a ticketing API with an
    /// <c>Idempotency-Key</c> header is: the same key always gets the same ticket.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="subject">A short subject.</param>
    /// <param name="description">What happened and what is needed.</param>
    /// <param name="priority">low, normal, high or urgent.</param>
    /// <param name="call">The call, which says which agent opens the ticket (the model does not see it).</param>
    /// <returns>The ticket.</returns>
    [Tool(Category = "tickets", SideEffects = SideEffects.Reversible, Idempotent = true)]
    [Description("Open a support ticket for a customer. If an open ticket with the same subject exists for the customer, that ticket is returned instead of a duplicate.")]
    public Ticket CreateTicket(
        [Description("The customer id, such as C-1001.")] string customerId,
        [Description("A short subject line.")] string subject,
        [Description("What happened and what is needed.")] string description,
        [Description("low, normal, high or urgent.")] string priority = "normal",
        AIFunctionArguments? call = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        if (priority is not ("low" or "normal" or "high" or "urgent"))
        {
            throw new ArgumentException($"priority must be low, normal, high or urgent, not '{priority}'.");
        }

        var key = call is null ? null : ToolCaller.Of(call)?.IdempotencyKey;
        using var connection = _database.Open();
        using var transaction = connection.BeginTransaction();
        if (key is not null)
        {
            using var known = connection.CreateCommand();
            known.Transaction = transaction;
            known.CommandText = "SELECT t.id, t.customer_id, t.subject, t.priority, t.status FROM ticket_requests r JOIN tickets t ON t.id = r.ticket_id WHERE r.idempotency_key = $k;";
            known.Parameters.AddWithValue("$k", key);
            using var reader = known.ExecuteReader();
            if (reader.Read())
            {
                return new Ticket(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
            }
        }

        using var find = connection.CreateCommand();
        find.Transaction = transaction;
        find.CommandText = "SELECT id, priority FROM tickets WHERE customer_id = $c AND subject = $s AND status = 'open';";
        find.Parameters.AddWithValue("$c", customerId);
        find.Parameters.AddWithValue("$s", subject);
        using (var reader = find.ExecuteReader())
        {
            if (reader.Read())
            {
                return new Ticket(reader.GetString(0), customerId, subject, reader.GetString(1), "open");
            }
        }

        using var next = connection.CreateCommand();
        next.Transaction = transaction;
        next.CommandText = "SELECT count(*) + 1001 FROM tickets;";
        var id = "T-" + Convert.ToInt64(next.ExecuteScalar(), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO tickets(id, customer_id, subject, description, priority, status, created_by) VALUES ($id, $c, $s, $d, $p, 'open', $by);";
        insert.Parameters.AddWithValue("$id", id);
        insert.Parameters.AddWithValue("$c", customerId);
        insert.Parameters.AddWithValue("$s", subject);
        insert.Parameters.AddWithValue("$d", description ?? "");
        insert.Parameters.AddWithValue("$p", priority);
        insert.Parameters.AddWithValue("$by", call is null ? "" : ToolCaller.Of(call)?.Agent ?? "");
        insert.ExecuteNonQuery();
        if (key is not null)
        {
            using var remember = connection.CreateCommand();
            remember.Transaction = transaction;
            remember.CommandText = "INSERT INTO ticket_requests(idempotency_key, ticket_id) VALUES ($k, $id);";
            remember.Parameters.AddWithValue("$k", key);
            remember.Parameters.AddWithValue("$id", id);
            remember.ExecuteNonQuery();
        }

        transaction.Commit();
        return new Ticket(id, customerId, subject, priority, "open");
    }

    /// <summary>Sends an email to customers: writes it into the outbox folder, where a mail relay picks it up. The
    /// call's idempotency key (<see cref="ToolCaller.IdempotencyKey"/>) is remembered with its answer, so a call repeated
    /// under the same key — Cadre repeats a call whose outcome is unknown only for idempotent tools — queues the email
    /// once, as a mail API with an <c>Idempotency-Key</c> header does; an identical email is queued once too. Every
    /// address is checked on its own and the subject may hold no line break, so neither can smuggle a header
    /// (<c>Bcc:</c>) into the message.</summary>
    /// <param name="to">The recipients' addresses, one per item.</param>
    /// <param name="subject">The subject.</param>
    /// <param name="body">The text.</param>
    /// <param name="call">The call, which carries its idempotency key (the model does not see it).</param>
    /// <returns>What was queued.</returns>
    [Tool(Category = "email", SideEffects = SideEffects.Irreversible, RequiresApproval = true, RateLimitPerAgent = "5/min", Idempotent = true)]
    [Description("Send an email to customers. The message is queued in the outbox and cannot be unsent.")]
    public string SendEmail(
        [Description("The recipients' email addresses, one address per item, such as [\"john@example.com\"].")] string[] to,
        [Description("The subject line (one line).")] string subject,
        [Description("The message text.")] string body,
        AIFunctionArguments? call = null)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentNullException.ThrowIfNull(body);
        if (to.Length is 0 or > MaxRecipients)
        {
            throw new ArgumentException($"Give between 1 and {MaxRecipients} recipients, one address per item; {to.Length} were given.");
        }

        foreach (var address in to)
        {
            if (!IsPlainAddress(address))
            {
                throw new ArgumentException($"'{address}' is not one email address. Give each recipient as its own item, like [\"john@example.com\"].");
            }
        }

        if (subject.Any(char.IsControl) || subject.Length > 200)
        {
            throw new ArgumentException("The subject must be one line of at most 200 characters, without line breaks or control characters.");
        }

        var recipients = string.Join(", ", to);
        var messageId = "M-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{recipients}\n{subject}\n{body}")))[..10];
        var reply = $"Email to {recipients} queued as {messageId}.";
        Directory.CreateDirectory(Outbox);
        // The relay's de-duplication, as a mail API's Idempotency-Key: a key seen before gets its first answer back
        // and queues nothing (an identical email is also queued once, by its content-derived message id).
        var key = call is null ? null : ToolCaller.Of(call)?.IdempotencyKey;
        var seen = key is null ? null : Path.Combine(Outbox, ".keys", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32]);
        if (seen is not null && File.Exists(seen))
        {
            return File.ReadAllText(seen);
        }

        if (!Directory.EnumerateFiles(Outbox, $"*-{messageId}.eml").Any())
        {
            // Written aside and moved in, so the relay (and a crash) never sees half an email; each writer has its own
            // temporary file, so two hosts queuing the same email at once do not take each other's.
            var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture);
            var file = Path.Combine(Outbox, $"{stamp}-{messageId}.eml");
            var temp = Path.Combine(Outbox, $".{messageId}.{Guid.NewGuid():N}.tmp");
            File.WriteAllText(temp, $"To: {recipients}\nSubject: {subject}\nMessage-Id: {messageId}\nIdempotency-Key: {key}\n\n{body}\n");
            File.Move(temp, file, overwrite: true);
        }

        if (seen is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(seen)!);
            File.WriteAllText(seen, reply);
        }

        return reply;
    }

    // One bare address (local@domain), nothing a header could be built from: no name, list, quote, space or control.
    private static bool IsPlainAddress(string? address) =>
        address is { Length: > 2 and <= 254 }
        && !address.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is ',' or ';' or '<' or '>' or '"' or '(' or ')' or '\\')
        && MailAddress.TryCreate(address, out var parsed)
        && parsed.Address == address
        && parsed.DisplayName.Length == 0;
}
