namespace Cadre.Tools;

/// <summary>Approval requests in memory: for tests and runs that need not survive the process. Thread-safe.</summary>
public sealed class InMemoryApprovalStore : IApprovalStore
{
    private readonly Lock _gate = new();
    private readonly List<ApprovalRequest> _requests = [];

    /// <inheritdoc />
    public Task<ApprovalRequest> RequestAsync(ApprovalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var existing = _requests.Find(r => r.Key == request.Key && r.Tool == request.Tool && r.Arguments == request.Arguments);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }

            if (_requests.Exists(r => r.Id == request.Id))
            {
                throw new InvalidOperationException($"An approval request with id '{request.Id}' already exists.");
            }

            _requests.Add(request);
            return Task.FromResult(request);
        }
    }

    /// <inheritdoc />
    public Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            var exact = _requests.Find(r => r.Id == id);
            if (exact is not null || id.Length == 0)
            {
                return Task.FromResult(exact);
            }

            var matches = _requests.FindAll(r => r.Id.StartsWith(id, StringComparison.Ordinal));
            return Task.FromResult(matches.Count == 1 ? matches[0] : null);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status = null, string? runId = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<ApprovalRequest> found = _requests
                .Where(r => (status is null || r.Status == status) && (runId is null || r.RunId == runId))
                .Select((r, i) => (r, i))
                .OrderByDescending(p => p.r.RequestedAt).ThenByDescending(p => p.i)
                .Take(limit)
                .Select(p => p.r)
                .ToList();
            return Task.FromResult(found);
        }
    }

    /// <inheritdoc />
    public Task<ApprovalRequest?> DecideAsync(string id, bool approved, string decidedBy, string? reason, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(decidedBy);
        lock (_gate)
        {
            var index = _requests.FindIndex(r => r.Id == id && r.Status == ApprovalStatus.Pending);
            if (index < 0)
            {
                return Task.FromResult<ApprovalRequest?>(null);
            }

            var decided = _requests[index] with
            {
                Status = approved ? ApprovalStatus.Approved : ApprovalStatus.Denied,
                DecidedBy = decidedBy,
                Reason = reason,
                DecidedAt = at,
            };
            _requests[index] = decided;
            return Task.FromResult<ApprovalRequest?>(decided);
        }
    }
}
