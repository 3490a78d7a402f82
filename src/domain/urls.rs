//! The URLs of this instance's pages, actors and collections, built in one place.

use url::Url;

/// Builds this instance's URLs from its public base (`https://social.city.example`).
#[derive(Debug, Clone)]
pub struct Urls {
    base: Url,
}

impl Urls {
    pub fn new(base: Url) -> Urls {
        Urls { base }
    }

    /// The base URL, such as `https://social.city.example/`.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The host with its port, as ActivityPub ids and WebFinger `acct:` use it.
    pub fn domain(&self) -> String {
        match (self.base.host_str(), self.base.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            _ => String::new(),
        }
    }

    /// An absolute URL for a path on this instance.
    pub fn join(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        url.set_path(path);
        url
    }

    /// A local member's ActivityPub id.
    pub fn actor(&self, username: &str) -> Url {
        self.join(&format!("/users/{username}"))
    }

    /// A local member's profile page.
    pub fn profile(&self, username: &str) -> Url {
        self.join(&format!("/@{username}"))
    }

    pub fn actor_inbox(&self, username: &str) -> Url {
        self.join(&format!("/users/{username}/inbox"))
    }

    pub fn actor_outbox(&self, username: &str) -> Url {
        self.join(&format!("/users/{username}/outbox"))
    }

    pub fn actor_followers(&self, username: &str) -> Url {
        self.join(&format!("/users/{username}/followers"))
    }

    pub fn actor_following(&self, username: &str) -> Url {
        self.join(&format!("/users/{username}/following"))
    }

    pub fn actor_featured(&self, username: &str) -> Url {
        self.join(&format!("/users/{username}/collections/featured"))
    }

    /// A local status's ActivityPub id.
    pub fn status(&self, username: &str, id: i64) -> Url {
        self.join(&format!("/users/{username}/statuses/{id}"))
    }

    /// A local status's web page.
    pub fn status_page(&self, username: &str, id: i64) -> Url {
        self.join(&format!("/@{username}/{id}"))
    }

    /// The id of a `Follow` activity sent by a local member.
    pub fn follow_activity(&self, username: &str, follow_id: i64) -> Url {
        self.join(&format!("/users/{username}/follows/{follow_id}"))
    }

    /// A hashtag's page.
    pub fn tag(&self, name: &str) -> Url {
        self.join(&format!("/tags/{name}"))
    }

    /// The instance actor's id.
    pub fn instance_actor(&self) -> Url {
        self.join("/actor")
    }

    /// The inbox every local actor shares.
    pub fn shared_inbox(&self) -> Url {
        self.join("/inbox")
    }

    /// A stored media file (a name relative to `<data_dir>/media/`).
    pub fn media_file(&self, name: &str) -> Url {
        self.join(&format!("/media/{name}"))
    }

    /// The streaming API's base, `ws://` or `wss://` with no path, as clients expect it.
    pub fn streaming(&self) -> String {
        let scheme = if self.base.scheme() == "https" {
            "wss"
        } else {
            "ws"
        };
        format!("{scheme}://{}", self.domain())
    }
}

#[cfg(test)]
mod tests {
    use super::Urls;
    use url::Url;

    #[test]
    fn builds_actor_urls() {
        let urls = Urls::new(Url::parse("http://alpha.test:8080").expect("url"));
        assert_eq!(urls.domain(), "alpha.test:8080");
        assert_eq!(
            urls.actor("hanako").as_str(),
            "http://alpha.test:8080/users/hanako"
        );
        assert_eq!(
            urls.profile("hanako").as_str(),
            "http://alpha.test:8080/@hanako"
        );
        assert_eq!(urls.shared_inbox().as_str(), "http://alpha.test:8080/inbox");
        let urls = Urls::new(Url::parse("https://social.city.example").expect("url"));
        assert_eq!(urls.domain(), "social.city.example");
    }
}
