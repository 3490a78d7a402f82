//! A fixed-window rate limiter kept in memory: Mastodon's scheme (300 requests per 5 minutes per
//! account or IP address, 30 media uploads per 30 minutes), with the numbers its headers need.
//! Each process counts for itself; behind several processes the limit is per process.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

/// Keys kept before old windows are dropped, so a flood of addresses cannot grow memory without
/// end.
const MAX_KEYS: usize = 100_000;

/// The outcome of counting one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// When the current window ends.
    pub reset: DateTime<Utc>,
}

struct Window {
    started: Instant,
    period: Duration,
    reset: DateTime<Utc>,
    count: u32,
}

#[derive(Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, Window>>,
}

impl RateLimiter {
    pub fn new() -> RateLimiter {
        RateLimiter::default()
    }

    /// Counts a request of `key` in `bucket` against `limit` per `period`.
    pub fn hit(&self, bucket: &str, key: &str, limit: u32, period: Duration) -> Decision {
        let now = Instant::now();
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() >= MAX_KEYS {
            windows.retain(|_, w| now.duration_since(w.started) < w.period);
            if windows.len() >= MAX_KEYS {
                // Still full of live windows: forget the oldest half.
                let mut starts: Vec<Instant> = windows.values().map(|w| w.started).collect();
                starts.sort_unstable();
                let cut = starts[starts.len() / 2];
                windows.retain(|_, w| w.started > cut);
            }
        }
        let window = windows
            .entry(format!("{bucket}:{key}"))
            .or_insert_with(|| new_window(now, period));
        if now.duration_since(window.started) >= period {
            *window = new_window(now, period);
        }
        window.count = window.count.saturating_add(1);
        Decision {
            allowed: window.count <= limit,
            limit,
            remaining: limit.saturating_sub(window.count),
            reset: window.reset,
        }
    }
}

fn new_window(now: Instant, period: Duration) -> Window {
    Window {
        started: now,
        period,
        reset: Utc::now() + chrono::Duration::from_std(period).unwrap_or_default(),
        count: 0,
    }
}

/// The key of an address: IPv4 as is, IPv6 by its /64 (one household or server gets one).
pub fn ip_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_and_refuses_past_the_limit() {
        let limiter = RateLimiter::new();
        let period = Duration::from_secs(60);
        let first = limiter.hit("api", "a", 2, period);
        assert!(first.allowed);
        assert_eq!(first.remaining, 1);
        assert!(limiter.hit("api", "a", 2, period).allowed);
        let third = limiter.hit("api", "a", 2, period);
        assert!(!third.allowed);
        assert_eq!(third.remaining, 0);
        assert_eq!(third.reset, first.reset);
        assert!(limiter.hit("api", "b", 2, period).allowed);
        assert!(limiter.hit("media", "a", 2, period).allowed);
    }

    #[test]
    fn windows_start_again() {
        let limiter = RateLimiter::new();
        let period = Duration::from_millis(30);
        assert!(limiter.hit("api", "a", 1, period).allowed);
        assert!(!limiter.hit("api", "a", 1, period).allowed);
        std::thread::sleep(Duration::from_millis(40));
        assert!(limiter.hit("api", "a", 1, period).allowed);
    }

    #[test]
    fn ipv6_addresses_share_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().expect("ip");
        let c: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(ip_key(a), ip_key(b));
        assert_ne!(ip_key(a), ip_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        assert_eq!(ip_key(mapped), "192.0.2.7");
    }
}
