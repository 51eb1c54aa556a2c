//! The client's address behind reverse proxies. `X-Forwarded-For` is whatever the client
//! wrote, with each proxy appending the address it received from: only the entries that
//! trusted proxies appended can be believed. So the header counts only when the TCP peer
//! is a trusted proxy, and the client is the right-most address that is not one.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The address that throttles and logs see for this request.
pub fn client_addr(peer: SocketAddr, headers: &HeaderMap, trusted: &[IpNet]) -> SocketAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&canonical(*ip)));
    if trusted.is_empty() || !is_trusted(&peer.ip()) {
        return peer;
    }
    // Several headers are one list, in order (RFC 9110, 5.3).
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| v.to_str().unwrap_or_default().split(','))
        .map(str::trim)
        .collect();
    let mut client = peer.ip();
    for entry in entries.iter().rev() {
        // An entry that is not an address was not written by a proxy of ours: stop at the
        // last hop that was.
        let Some(ip) = parse(entry) else { break };
        client = canonical(ip);
        if !is_trusted(&client) {
            break;
        }
    }
    if client == peer.ip() {
        peer
    } else {
        SocketAddr::new(client, 0)
    }
}

/// An address as proxies write it: bare, with a port, or IPv6 in brackets.
fn parse(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            entry
                .strip_prefix('[')
                .and_then(|e| e.strip_suffix(']'))
                .and_then(|e| e.parse().ok())
        })
}

/// An IPv4 client seen through an IPv6 socket (`::ffff:a.b.c.d`) is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().expect("cidr")).collect()
    }

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().expect("value"));
        }
        h
    }

    fn resolve(peer: &str, xff: &[&str], trusted: &[&str]) -> String {
        let peer: SocketAddr = peer.parse().expect("peer");
        client_addr(peer, &headers(xff), &nets(trusted))
            .ip()
            .to_string()
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_peer() {
        assert_eq!(
            resolve("203.0.113.9:5000", &["198.51.100.1"], &[]),
            "203.0.113.9"
        );
        assert_eq!(
            resolve("203.0.113.9:5000", &["198.51.100.1"], &["10.0.0.0/8"]),
            "203.0.113.9"
        );
        assert_eq!(
            resolve("10.1.2.3:5000", &["198.51.100.1"], &["10.0.0.0/8"]),
            "198.51.100.1"
        );
        // No header: the proxy itself.
        assert_eq!(resolve("10.1.2.3:5000", &[], &["10.0.0.0/8"]), "10.1.2.3");
    }

    #[test]
    fn the_client_is_the_right_most_untrusted_entry() {
        let trusted = ["10.0.0.0/8", "2001:db8::/32"];
        // What the client wrote itself (the left entries) is not believed.
        assert_eq!(
            resolve("10.0.0.1:1", &["1.1.1.1, 198.51.100.7, 10.0.0.2"], &trusted),
            "198.51.100.7"
        );
        // Several headers are one list.
        assert_eq!(
            resolve(
                "10.0.0.1:1",
                &["1.1.1.1", "198.51.100.7", "10.0.0.2"],
                &trusted
            ),
            "198.51.100.7"
        );
        // Only trusted hops: the left-most of them.
        assert_eq!(
            resolve("10.0.0.1:1", &["10.9.9.9, 10.0.0.2"], &trusted),
            "10.9.9.9"
        );
        // Ports, brackets and IPv4-mapped IPv6.
        assert_eq!(
            resolve(
                "[2001:db8::1]:1",
                &["[2001:db8::5]:443, 198.51.100.7:1234"],
                &trusted
            ),
            "198.51.100.7"
        );
        assert_eq!(
            resolve("[::ffff:10.0.0.1]:1", &["::ffff:198.51.100.7"], &trusted),
            "198.51.100.7"
        );
    }

    #[test]
    fn garbage_stops_at_the_last_trusted_hop() {
        let trusted = ["10.0.0.0/8"];
        assert_eq!(
            resolve("10.0.0.1:1", &["198.51.100.7, unknown, 10.0.0.2"], &trusted),
            "10.0.0.2"
        );
        assert_eq!(
            resolve("10.0.0.1:1", &["not an address"], &trusted),
            "10.0.0.1"
        );
    }
}
