//! The accept loop. `axum::serve` gives a client as long as it likes to send a header and
//! keeps every connection it accepts, so a few hundred sockets that send nothing hold the
//! process's file descriptors and every later client waits. Here:
//!
//! - each connection lives by the deadlines of [`conn::Timeouts`] (header read, idle,
//!   stalled response), kept by `conn::Conn`;
//! - at most [`ServeConfig::max_connections`] are open at once, a bound below the
//!   file-descriptor limit ([`connection_cap`]);
//! - at the cap, a new connection takes the place of the oldest one without a request in
//!   flight (a half-sent header or an idle keep-alive), which is closed. Refusing the new
//!   one, or making it wait, would let whoever holds the sockets keep everyone else out;
//!   closing a socket that is mid-request would lose work. When every connection has a
//!   request in flight, the new one waits in the listen backlog until one finishes;
//! - no per-address limit: behind a proxy every client has the proxy's address, and the
//!   eviction above already keeps room for newcomers;
//! - TCP_NODELAY on every socket: responses are written whole, Nagle would only delay
//!   the last segment;
//! - HTTP/1.1 only: h2c would need the `h2` crate, and browsers speak HTTP/2 only over
//!   TLS, which the reverse proxy ends.
//!
//! Handlers see the client's address as `ConnectInfo<SocketAddr>`, after
//! [`proxies::client_addr`].

mod conn;
mod proxies;

use std::{
    collections::BTreeMap,
    convert::Infallible,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, extract::ConnectInfo};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::{
    net::{TcpListener, TcpStream},
    sync::{OwnedSemaphorePermit, Semaphore, watch},
};
use tower::ServiceExt;

pub use conn::Timeouts;
use conn::{Conn, Tracked};
pub use proxies::client_addr;

/// How the loop treats connections.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    pub timeouts: Timeouts,
    pub max_connections: usize,
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// File descriptors kept for other uses than client connections: the listeners, standard
/// streams, the log, SQLite's files, a connection accepted while waiting for room.
const RESERVED_FDS: u64 = 64;
/// Largest default cap: past it, memory rather than descriptors runs out first.
const MAX_DEFAULT_CAP: u64 = 16_384;

/// Raises the soft limit on open files to the hard limit, and returns the soft limit in
/// force (None: unlimited or unknown).
#[cfg(not(unix))]
pub fn raise_fd_limit() -> Option<u64> {
    None
}

/// Raises the soft limit on open files to the hard limit, and returns the soft limit in
/// force (None: unlimited or unknown).
#[cfg(unix)]
pub fn raise_fd_limit() -> Option<u64> {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let current = limit.current?;
    match limit.maximum {
        Some(max) if max > current => {
            let raised = rustix::process::Rlimit {
                current: Some(max),
                maximum: Some(max),
            };
            match setrlimit(Resource::Nofile, raised) {
                Ok(()) => Some(max),
                Err(e) => {
                    tracing::warn!(error = %e, current, max, "could not raise the open-file limit");
                    Some(current)
                }
            }
        }
        _ => Some(current),
    }
}

/// The connection cap: the configured one, or what the file-descriptor limit leaves after
/// the database pool and `RESERVED_FDS`; never above the limit's room.
pub fn connection_cap(configured: Option<usize>, fd_limit: Option<u64>, db_pool: u32) -> usize {
    let room = fd_limit.map(|fds| {
        fds.saturating_sub(RESERVED_FDS + u64::from(db_pool))
            .max(fds / 2)
            .max(1)
    });
    let derived = room.unwrap_or(MAX_DEFAULT_CAP).min(MAX_DEFAULT_CAP);
    let cap = match (configured, room) {
        (Some(c), Some(room)) if c as u64 > room => {
            tracing::warn!(
                configured = c,
                room,
                "ISU_MAX_CONNECTIONS is above what the open-file limit allows: using {room}"
            );
            room
        }
        (Some(c), _) => c as u64,
        (None, _) => derived,
    };
    usize::try_from(cap).unwrap_or(usize::MAX).max(1)
}

/// The open connections, oldest first.
#[derive(Default)]
struct Registry(Mutex<BTreeMap<u64, Arc<Conn>>>);

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Arc<Conn>>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Closes the oldest connection without a request in flight; false if all have one.
    fn evict_oldest_idle(&self) -> bool {
        self.lock().values().any(|c| c.evict())
    }
}

/// Serves `router` on `listener` until `shutdown` turns true, then lets the requests in
/// flight finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    config: ServeConfig,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let config = Arc::new(config);
    let permits = Arc::new(Semaphore::new(config.max_connections));
    let registry = Arc::new(Registry::default());
    let mut next_id: u64 = 0;
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = stopped(&mut shutdown) => break,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of descriptors or a connection reset before accept: not fatal.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let permit = match Arc::clone(&permits).try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                if registry.evict_oldest_idle() {
                    tracing::debug!("connection cap reached: closing the oldest idle one");
                } else {
                    tracing::warn!(
                        cap = config.max_connections,
                        "connection cap reached with every connection busy: waiting"
                    );
                }
                tokio::select! {
                    p = Arc::clone(&permits).acquire_owned() => match p {
                        Ok(p) => p,
                        Err(_) => break,
                    },
                    () = stopped(&mut shutdown) => break,
                }
            }
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY");
        }
        next_id += 1;
        let conn = Conn::new();
        registry.lock().insert(next_id, Arc::clone(&conn));
        let task = Connection {
            id: next_id,
            conn,
            peer,
            router: router.clone(),
            config: Arc::clone(&config),
            registry: Arc::clone(&registry),
            _permit: permit,
        };
        tokio::spawn(task.run(stream, shutdown.clone()));
    }
    // No new connections from here; then, as every connection holds a permit until it
    // ends, having them all back means the requests in flight are done.
    drop(listener);
    let all = u32::try_from(config.max_connections).unwrap_or(u32::MAX);
    let _ = permits.acquire_many(all).await;
    Ok(())
}

/// Resolves once shutdown is asked for (or its sender is gone).
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

struct Connection {
    id: u64,
    conn: Arc<Conn>,
    peer: SocketAddr,
    router: Router,
    config: Arc<ServeConfig>,
    registry: Arc<Registry>,
    _permit: OwnedSemaphorePermit,
}

impl Connection {
    async fn run(self, stream: TcpStream, mut shutdown: watch::Receiver<bool>) {
        let io = TokioIo::new(Tracked::new(stream, Arc::clone(&self.conn)));
        let (conn, peer, config, router) = (
            Arc::clone(&self.conn),
            self.peer,
            Arc::clone(&self.config),
            self.router.clone(),
        );
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            let in_flight = conn.begin_request();
            let client = client_addr(peer, req.headers(), &config.trusted_proxies);
            req.extensions_mut().insert(ConnectInfo(client));
            let router = router.clone();
            async move {
                let response = router.oneshot(req).await?;
                // The request stays in flight until its body has been written.
                Ok::<_, Infallible>(response.map(move |body| {
                    body.map_frame(move |frame| {
                        let _ = &in_flight;
                        frame
                    })
                }))
            }
        });
        let mut http = hyper::server::conn::http1::Builder::new();
        // The deadlines are kept by `Conn`: hyper's would also close idle connections.
        http.header_read_timeout(None).keep_alive(true);
        let connection = http.serve_connection(io, service);
        tokio::pin!(connection);
        let timeouts = self.config.timeouts;
        tokio::select! {
            done = connection.as_mut() => self.log_end(done),
            why = self.conn.expiry(timeouts) => {
                tracing::debug!(peer = %self.peer, reason = why.as_str(), "connection closed");
            }
            () = stopped(&mut shutdown) => {
                if self.conn.busy() {
                    connection.as_mut().graceful_shutdown();
                    tokio::select! {
                        done = connection.as_mut() => self.log_end(done),
                        _ = self.conn.expiry(timeouts) => {}
                    }
                }
            }
        }
    }

    fn log_end(&self, done: hyper::Result<()>) {
        if let Err(e) = done {
            tracing::debug!(peer = %self.peer, error = %e, "connection ended with an error");
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.registry.lock().remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_room_for_the_pool_and_files() {
        assert_eq!(connection_cap(None, Some(1024), 10), 950);
        assert_eq!(connection_cap(None, Some(1_048_576), 10), 16_384);
        assert_eq!(connection_cap(None, None, 10), 16_384);
        // A small limit still leaves half of it to clients.
        assert_eq!(connection_cap(None, Some(100), 10), 50);
        // A configured cap is kept below the limit's room.
        assert_eq!(connection_cap(Some(500), Some(1024), 10), 500);
        assert_eq!(connection_cap(Some(5000), Some(1024), 10), 950);
        assert_eq!(connection_cap(Some(50_000), None, 10), 50_000);
    }
}
