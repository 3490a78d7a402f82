//! The two places an outbound request is judged: the DNS resolver (names, at connect time, so
//! a rebinding answer is caught too) and a middleware that checks the URL before sending
//! (schemes, and IP literals, for which the resolver is never called).

use super::ip::is_forbidden_ip;
use crate::fetch::normalise_domain;
use http::Extensions;
use reqwest::{
    Request, Response,
    dns::{Addrs, Name, Resolve, Resolving},
};
use reqwest_middleware::{Middleware, Next};
use std::{
    collections::{HashMap, HashSet},
    net::{IpAddr, SocketAddr},
    sync::Arc,
};
use url::{Host, Url};

/// Why a URL or address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// A scheme other than https (or http when allowed).
    #[error("scheme {0:?} is not allowed")]
    Scheme(String),
    /// The URL has no host.
    #[error("the URL has no host")]
    NoHost,
    /// The host is, or resolves to, an address outside the public internet.
    #[error("{host} is {ip}, which is not a public address")]
    ForbiddenAddress {
        /// The host as given.
        host: String,
        /// The address that was refused.
        ip: IpAddr,
    },
    /// The name resolved to nothing.
    #[error("{0} resolves to no address")]
    NoAddress(String),
}

/// What both guards share.
#[derive(Debug, Default)]
pub(crate) struct Guard {
    pub allow_http: bool,
    /// Normalised hosts (names or IP literals) exempt from the address check.
    pub allowed_private: HashSet<String>,
    /// Normalised host → addresses, used instead of DNS.
    pub overrides: HashMap<String, Vec<SocketAddr>>,
}

impl Guard {
    /// Checks a URL before it is requested.
    pub fn check_url(&self, url: &Url) -> Result<(), Refused> {
        match url.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            other => return Err(Refused::Scheme(other.to_owned())),
        }
        let ip = match url.host().ok_or(Refused::NoHost)? {
            // Names are judged by the resolver when connecting.
            Host::Domain(_) => return Ok(()),
            Host::Ipv4(ip) => IpAddr::V4(ip),
            Host::Ipv6(ip) => IpAddr::V6(ip),
        };
        if is_forbidden_ip(ip) && !self.allowed_private.contains(&ip.to_string()) {
            return Err(Refused::ForbiddenAddress {
                host: ip.to_string(),
                ip,
            });
        }
        Ok(())
    }

    fn is_allowed_private(&self, host: &str) -> bool {
        self.allowed_private.contains(host)
    }
}

/// The resolver: the override map first, the system resolver otherwise; every address is
/// checked unless the host is explicitly allowed. One forbidden address refuses the name, so a
/// record set mixing public and private addresses cannot slip through.
pub(crate) struct GuardedResolver(pub Arc<Guard>);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.0.clone();
        let host = normalise_domain(name.as_str()).unwrap_or_else(|_| name.as_str().to_owned());
        Box::pin(async move {
            let addresses: Vec<SocketAddr> = match guard.overrides.get(&host) {
                Some(addresses) => addresses.clone(),
                None => tokio::net::lookup_host((host.as_str(), 0)).await?.collect(),
            };
            if addresses.is_empty() {
                return Err(Box::new(Refused::NoAddress(host)) as _);
            }
            if !guard.is_allowed_private(&host)
                && let Some(bad) = addresses.iter().find(|a| is_forbidden_ip(a.ip()))
            {
                return Err(Box::new(Refused::ForbiddenAddress { host, ip: bad.ip() }) as _);
            }
            Ok(Box::new(addresses.into_iter()) as Addrs)
        })
    }
}

/// The middleware in front of every request, including the crate's own fetches and
/// deliveries and each redirect hop we follow.
pub(crate) struct UrlGuard(pub Arc<Guard>);

#[async_trait::async_trait]
impl Middleware for UrlGuard {
    async fn handle(
        &self,
        request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        self.0
            .check_url(request.url())
            .map_err(reqwest_middleware::Error::middleware)?;
        next.run(request, extensions).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> Arc<Guard> {
        let mut guard = Guard {
            allow_http: true,
            ..Guard::default()
        };
        guard.allowed_private.insert("alpha.test".into());
        for (host, address) in [
            ("alpha.test", "127.0.0.1:8001"),
            ("internal.test", "10.0.0.1:80"),
            ("metadata.test", "169.254.169.254:80"),
            ("documentation.test", "192.0.2.1:443"),
            ("mapped.test", "[::ffff:10.0.0.1]:80"),
            ("cgnat.test", "100.64.1.1:80"),
            ("public.test", "93.184.216.34:443"),
        ] {
            guard
                .overrides
                .insert(host.into(), vec![address.parse().unwrap()]);
        }
        guard.overrides.insert(
            "mixed.test".into(),
            vec![
                "93.184.216.34:443".parse().unwrap(),
                "10.1.2.3:443".parse().unwrap(),
            ],
        );
        Arc::new(guard)
    }

    async fn resolve(name: &str) -> Result<Vec<SocketAddr>, String> {
        GuardedResolver(guard())
            .resolve(name.parse().unwrap())
            .await
            .map(Iterator::collect)
            .map_err(|e| e.to_string())
    }

    // These never connect: the resolver is asked directly, so no address outside loopback is
    // ever contacted even if a check were broken.
    #[tokio::test]
    async fn names_resolving_to_private_addresses_are_refused() {
        for name in [
            "internal.test",
            "metadata.test",
            "documentation.test",
            "mapped.test",
            "cgnat.test",
            "mixed.test",
            "localhost",
        ] {
            let result = resolve(name).await;
            assert!(
                result
                    .as_ref()
                    .is_err_and(|e| e.contains("not a public address")),
                "{name}: {result:?}"
            );
        }
    }

    #[tokio::test]
    async fn allowed_and_public_names_resolve_to_their_overrides() {
        assert_eq!(
            resolve("alpha.test").await.unwrap(),
            vec!["127.0.0.1:8001".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(
            resolve("ALPHA.test.").await.unwrap().len(),
            1,
            "names are normalised before lookup"
        );
        assert_eq!(resolve("public.test").await.unwrap().len(), 1);
    }

    #[test]
    fn ip_literals_and_schemes_are_checked_before_sending() {
        let guard = guard();
        for refused in [
            "http://127.0.0.1/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://0.0.0.0/",
            "http://[::]/",
            "http://10.0.0.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://2130706433/",
            "http://0x7f.1/",
        ] {
            let url = Url::parse(refused).unwrap();
            assert!(
                matches!(guard.check_url(&url), Err(Refused::ForbiddenAddress { .. })),
                "{refused}"
            );
        }
        assert!(
            guard
                .check_url(&Url::parse("https://93.184.216.34/").unwrap())
                .is_ok()
        );
        assert!(
            guard
                .check_url(&Url::parse("https://alpha.test/").unwrap())
                .is_ok()
        );
        assert_eq!(
            guard.check_url(&Url::parse("ftp://alpha.test/").unwrap()),
            Err(Refused::Scheme("ftp".into()))
        );
        let https_only = Guard::default();
        assert_eq!(
            https_only.check_url(&Url::parse("http://alpha.test/").unwrap()),
            Err(Refused::Scheme("http".into()))
        );
    }
}
