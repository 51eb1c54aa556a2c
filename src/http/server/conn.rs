//! One connection's clock. hyper's own header-read timeout starts as soon as a connection
//! waits for a request, so it cannot tell a kept-alive connection between requests (allowed
//! [`Timeouts::idle`]) from a client dribbling a header (allowed [`Timeouts::header`]).
//! This state can: the socket wrapper [`Tracked`] notes the first byte of each request,
//! the service notes when a request begins and when its response body is dropped.

use std::{
    io,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    sync::Notify,
    time::Instant,
};

/// The deadlines a connection lives by.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// From the opening, or from a later request's first byte, to its complete header.
    pub header: Duration,
    /// With no request in flight and no byte of the next one.
    pub idle: Duration,
    /// With a request in flight but no byte read or written (a client that stops reading
    /// its response); at least the request timeout, so a slow handler is not cut.
    pub stalled: Duration,
}

/// Why a connection was closed by the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    HeaderTimeout,
    Idle,
    Stalled,
    /// Closed to make room for a new connection at the cap.
    Evicted,
}

impl Expiry {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HeaderTimeout => "header read timeout",
            Self::Idle => "idle timeout",
            Self::Stalled => "no progress with a request in flight",
            Self::Evicted => "closed for a new connection at the cap",
        }
    }
}

pub struct Conn {
    opened: Instant,
    in_flight: AtomicUsize,
    /// At least one request has begun: later ones may wait [`Timeouts::idle`] first.
    served: AtomicBool,
    /// A byte of the next request has arrived while none was in flight.
    head_started: AtomicBool,
    /// When the current wait began (idle since, or the next header's first byte), in
    /// milliseconds after `opened`.
    phase_start_ms: AtomicU64,
    last_io_ms: AtomicU64,
    evict: AtomicBool,
    wake: Notify,
}

impl Conn {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            opened: Instant::now(),
            in_flight: AtomicUsize::new(0),
            served: AtomicBool::new(false),
            head_started: AtomicBool::new(false),
            phase_start_ms: AtomicU64::new(0),
            last_io_ms: AtomicU64::new(0),
            evict: AtomicBool::new(false),
            wake: Notify::new(),
        })
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Whether a request is being served (its response body not yet dropped).
    pub fn busy(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) > 0
    }

    /// Asks the connection to close if it has no request in flight; false if it has one.
    pub fn evict(&self) -> bool {
        if self.busy() {
            return false;
        }
        self.evict.store(true, Ordering::Release);
        self.wake.notify_one();
        true
    }

    /// A request's header was read; the guard ends it when the response body is dropped.
    pub fn begin_request(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        self.served.store(true, Ordering::Release);
        self.head_started.store(false, Ordering::Release);
        self.wake.notify_one();
        InFlight(Arc::clone(self))
    }

    fn io(&self, read: bool) {
        let now = self.now_ms();
        self.last_io_ms.store(now, Ordering::Relaxed);
        if read
            && !self.busy()
            && self.served.load(Ordering::Acquire)
            && !self.head_started.swap(true, Ordering::AcqRel)
        {
            self.phase_start_ms.store(now, Ordering::Release);
            self.wake.notify_one();
        }
    }

    /// Resolves when the connection should be closed, and says why. Never resolves for a
    /// connection that keeps to its deadlines.
    pub async fn expiry(&self, t: Timeouts) -> Expiry {
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        loop {
            if self.evict.load(Ordering::Acquire) && !self.busy() {
                return Expiry::Evicted;
            }
            let (deadline, why) = if self.busy() {
                (
                    self.last_io_ms.load(Ordering::Relaxed) + ms(t.stalled),
                    Expiry::Stalled,
                )
            } else if !self.served.load(Ordering::Acquire)
                || self.head_started.load(Ordering::Acquire)
            {
                (
                    self.phase_start_ms.load(Ordering::Acquire) + ms(t.header),
                    Expiry::HeaderTimeout,
                )
            } else {
                (
                    self.phase_start_ms.load(Ordering::Acquire) + ms(t.idle),
                    Expiry::Idle,
                )
            };
            let now = self.now_ms();
            if now >= deadline {
                return why;
            }
            // A stored wake-up (notify_one) is never lost between the check and the wait.
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(deadline - now)) => {}
                () = self.wake.notified() => {}
            }
        }
    }
}

/// A request in flight on a [`Conn`]; dropped with the response body.
pub struct InFlight(Arc<Conn>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let conn = &self.0;
        if conn.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            conn.phase_start_ms.store(conn.now_ms(), Ordering::Release);
            conn.head_started.store(false, Ordering::Release);
        }
        conn.wake.notify_one();
    }
}

/// The socket, noting each read and write on its [`Conn`].
pub struct Tracked<S> {
    inner: S,
    conn: Arc<Conn>,
}

impl<S> Tracked<S> {
    pub fn new(inner: S, conn: Arc<Conn>) -> Self {
        Self { inner, conn }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Tracked<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.conn.io(true);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tracked<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.conn.io(false);
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.conn.io(false);
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Timeouts = Timeouts {
        header: Duration::from_millis(40),
        idle: Duration::from_millis(120),
        stalled: Duration::from_millis(80),
    };
    /// Deadlines are kept in whole milliseconds.
    const MARGIN: Duration = Duration::from_millis(2);

    #[tokio::test]
    async fn a_fresh_connection_has_the_header_timeout() {
        let conn = Conn::new();
        assert_eq!(conn.expiry(T).await, Expiry::HeaderTimeout);
        assert!(conn.opened.elapsed() >= T.header);
    }

    #[tokio::test]
    async fn between_requests_the_idle_timeout_then_the_header_timeout() {
        let conn = Conn::new();
        drop(conn.begin_request());
        let start = Instant::now();
        assert_eq!(conn.expiry(T).await, Expiry::Idle);
        assert!(start.elapsed() + MARGIN >= T.idle);

        let conn = Conn::new();
        drop(conn.begin_request());
        conn.io(true); // the next request's first byte
        let start = Instant::now();
        assert_eq!(conn.expiry(T).await, Expiry::HeaderTimeout);
        assert!(start.elapsed() + MARGIN >= T.header);
    }

    #[tokio::test]
    async fn a_request_in_flight_is_not_evicted_and_expires_only_when_stalled() {
        let conn = Conn::new();
        let request = conn.begin_request();
        assert!(!conn.evict());
        tokio::time::sleep(T.stalled / 2).await;
        conn.io(false); // the response makes progress
        let start = Instant::now();
        assert_eq!(conn.expiry(T).await, Expiry::Stalled);
        assert!(start.elapsed() + MARGIN >= T.stalled);
        drop(request);
        assert!(conn.evict());
        assert_eq!(conn.expiry(T).await, Expiry::Evicted);
    }
}
