//! What one client connection may hold: the settings behind `src/http/server`. A slow or
//! idle client must not keep a file descriptor that a new client needs (README, Security:
//! "Connections and proxies").

use std::{net::SocketAddr, time::Duration};

use super::{ConfigError, Secret};

#[derive(Clone, Debug, clap::Args)]
pub struct ConnectionSettings {
    /// Longest time a request's headers may take to arrive, from the connection's opening
    /// or from the first byte of a later request on it.
    #[arg(
        long,
        env = "ISU_HEADER_READ_TIMEOUT_SECS",
        default_value_t = 10,
        global = true
    )]
    pub header_read_timeout_secs: u64,

    /// A kept-alive connection with no request for this long is closed.
    #[arg(
        long,
        env = "ISU_IDLE_TIMEOUT_SECS",
        default_value_t = 60,
        global = true
    )]
    pub idle_timeout_secs: u64,

    /// Most client connections open at once; by default derived from the process's
    /// file-descriptor limit (raised to its hard limit at start), less room for the database
    /// pool and files, and at most 16384.
    #[arg(long, env = "ISU_MAX_CONNECTIONS", global = true)]
    pub max_connections: Option<usize>,

    /// Most GraphQL queries executing at once; the others wait their turn, holding only
    /// their parsed document (mutations do not wait). By default 8 per core. It bounds the
    /// memory that answers being built take under a burst.
    #[arg(long, env = "ISU_MAX_OPERATIONS", global = true)]
    pub max_operations: Option<usize>,

    /// Reverse proxies (CIDRs or addresses, comma-separated, e.g. `10.0.0.0/8, ::1`) whose
    /// `X-Forwarded-For` names the client; from any other peer the header is ignored.
    #[arg(long, env = "ISU_TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: String,

    /// Require `Authorization: Bearer <token>` on `/metrics`.
    #[arg(long, env = "ISU_METRICS_TOKEN", global = true, hide_env_values = true)]
    pub metrics_token: Option<Secret>,

    /// Serve `/metrics` on this address only (e.g. `127.0.0.1:9090`), not on ISU_LISTEN.
    #[arg(long, env = "ISU_METRICS_LISTEN", global = true)]
    pub metrics_listen: Option<SocketAddr>,
}

impl Default for ConnectionSettings {
    fn default() -> Self {
        Self {
            header_read_timeout_secs: 10,
            idle_timeout_secs: 60,
            max_connections: None,
            max_operations: None,
            trusted_proxies: String::new(),
            metrics_token: None,
            metrics_listen: None,
        }
    }
}

/// [`ConnectionSettings`], checked.
#[derive(Clone, Debug)]
pub struct ConnectionLimits {
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    /// None: derived from the file-descriptor limit at start.
    pub max_connections: Option<usize>,
    /// GraphQL queries executing at once.
    pub max_operations: usize,
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// Requests executing at once per core, by default.
const OPERATIONS_PER_CORE: usize = 8;

/// Shortest metrics token: a bearer token is a password that cannot be throttled.
const MIN_METRICS_TOKEN: usize = 16;

impl ConnectionSettings {
    /// Timeouts and cap at least 1, proxies as CIDRs, a metrics token long enough to send
    /// as a bearer token.
    pub fn limits(&self) -> Result<ConnectionLimits, ConfigError> {
        if self.header_read_timeout_secs == 0
            || self.idle_timeout_secs == 0
            || self.max_connections == Some(0)
            || self.max_operations == Some(0)
        {
            return Err(ConfigError::ConnectionLimits);
        }
        if let Some(t) = &self.metrics_token {
            let t = t.expose();
            if t.len() < MIN_METRICS_TOKEN || !t.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(ConfigError::MetricsToken);
            }
        }
        let trusted_proxies = self
            .trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<ipnet::IpNet>()
                    .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map(|n| n.trunc())
                    .map_err(|_| ConfigError::TrustedProxies)
            })
            .collect::<Result<_, _>>()?;
        Ok(ConnectionLimits {
            header_read_timeout: Duration::from_secs(self.header_read_timeout_secs),
            idle_timeout: Duration::from_secs(self.idle_timeout_secs),
            max_connections: self.max_connections,
            max_operations: self.max_operations.unwrap_or_else(|| {
                let cores = std::thread::available_parallelism().map_or(1, usize::from);
                OPERATIONS_PER_CORE.saturating_mul(cores)
            }),
            trusted_proxies,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_settings_are_checked() {
        let mut s = ConnectionSettings::default();
        let limits = s.limits().expect("defaults are valid");
        assert_eq!(limits.header_read_timeout, Duration::from_secs(10));
        assert_eq!(limits.idle_timeout, Duration::from_secs(60));
        assert!(limits.trusted_proxies.is_empty());
        s.trusted_proxies = " 10.0.0.0/8, ::1 ,192.168.1.7/24".into();
        let nets: Vec<String> = s
            .limits()
            .expect("valid")
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(nets, ["10.0.0.0/8", "::1/128", "192.168.1.0/24"]);
        for bad in ["10.0.0.0/33", "proxy.local", "10.0.0.0/8;1.2.3.4"] {
            s.trusted_proxies = bad.into();
            assert!(
                matches!(s.limits(), Err(ConfigError::TrustedProxies)),
                "{bad}"
            );
        }
        s.trusted_proxies = String::new();
        s.idle_timeout_secs = 0;
        assert!(matches!(s.limits(), Err(ConfigError::ConnectionLimits)));
        s.idle_timeout_secs = 60;
        s.max_connections = Some(0);
        assert!(matches!(s.limits(), Err(ConfigError::ConnectionLimits)));
        s.max_connections = None;
        s.max_operations = Some(0);
        assert!(matches!(s.limits(), Err(ConfigError::ConnectionLimits)));
        s.max_operations = Some(3);
        assert_eq!(s.limits().expect("valid").max_operations, 3);
        s.max_operations = None;
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        assert_eq!(s.limits().expect("valid").max_operations, 8 * cores);
        s.metrics_token = Some(Secret::new("short"));
        assert!(matches!(s.limits(), Err(ConfigError::MetricsToken)));
        s.metrics_token = Some(Secret::new("a token with spaces"));
        assert!(matches!(s.limits(), Err(ConfigError::MetricsToken)));
        s.metrics_token = Some(Secret::new("m3tr1cs-t0ken-f0r-pr0metheus"));
        assert!(s.limits().is_ok());
    }
}
