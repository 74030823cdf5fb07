using System.Buffers;

namespace SupportBot.Slack;

/// <summary>
/// A request's raw body, read into a pooled buffer (Slack posts one per event, so the buffer is reused rather
/// than allocated). Dispose returns the buffer, cleared: a body may hold unmasked card numbers. Empty and
/// <see cref="IsRefused"/> when the request was refused; the response status is then already set.
/// </summary>
internal readonly struct SlackRequestBody : IDisposable
{
    private readonly byte[]? _buffer;
    private readonly int _length;
    private readonly bool _pooled;

    private SlackRequestBody(byte[] buffer, int length, bool pooled)
    {
        _buffer = buffer;
        _length = length;
        _pooled = pooled;
    }

    public static SlackRequestBody Refused => default;

    /// <summary>True when the request was refused (too large, truncated, or, once checked, wrongly signed).</summary>
    public bool IsRefused => _buffer is null;

    public Memory<byte> Memory => _buffer.AsMemory(0, _length);

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public static SlackRequestBody Rent(int length) =>
        length == 0 ? Of([]) : new(ArrayPool<byte>.Shared.Rent(length), length, pooled: true);

    public static SlackRequestBody Of(byte[] bytes) => new(bytes, bytes.Length, pooled: false);

    public void Dispose()
    {
        if (_pooled && _buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
        }
    }
}
