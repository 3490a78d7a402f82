"""Fixtures for Mastodon.py against two running Kakehashi instances (started by tests/clients/run).

Environment: ALPHA_URL, ALPHA_DOMAIN, BETA_URL, BETA_DOMAIN (http://alpha.test:PORT and so on),
ALPHA_USER and ALPHA_NEIGHBOUR (members of alpha), BETA_USER (a member of beta), CLIENT_PASSWORD.

Every member signs in the way a person would: Mastodon.py registers an app, its
`auth_request_url()` is fetched, our HTML login form is parsed (with its CSRF field and cookie),
the credentials are posted, and the code is read from the out-of-band page or from the redirect.
"""

from __future__ import annotations

import os
import secrets
import socket
import struct
import time
import zlib
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from mastodon import Mastodon

OOB = "urn:ietf:wg:oauth:2.0:oob"
# A redirect URI that is never visited: the test reads the code from the Location header.
CALLBACK = "http://localhost/kakehashi-client-test/callback"
PATIENCE_SECONDS = 20.0


# ---- loopback name resolution ---------------------------------------------------------------
# *.test names are 127.0.0.1 and nothing else resolves, so no request can leave the machine.
# Python's HTTP stack (urllib3) resolves through socket.getaddrinfo, so that is the one hook.

_real_getaddrinfo = socket.getaddrinfo


def _loopback_getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    name = (host.decode() if isinstance(host, bytes) else str(host)).lower().rstrip(".")
    if name.endswith(".test") or name in ("localhost", "127.0.0.1"):
        return _real_getaddrinfo("127.0.0.1", port, socket.AF_INET, type, proto, flags)
    raise socket.gaierror(socket.EAI_NONAME, f"loopback test network: {name} is not a *.test name")


socket.getaddrinfo = _loopback_getaddrinfo


# ---- environment ----------------------------------------------------------------------------


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run this suite through tests/clients/run")
    return value


ALPHA_URL = env("ALPHA_URL")
ALPHA_DOMAIN = env("ALPHA_DOMAIN")
BETA_URL = env("BETA_URL")
BETA_DOMAIN = env("BETA_DOMAIN")
ALPHA_USER = env("ALPHA_USER")
ALPHA_NEIGHBOUR = env("ALPHA_NEIGHBOUR")
BETA_USER = env("BETA_USER")
PASSWORD = env("CLIENT_PASSWORD")


# ---- helpers --------------------------------------------------------------------------------


def eventually(what: str, probe, timeout: float = PATIENCE_SECONDS, interval: float = 0.2):
    """Calls `probe` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            value = probe()
            if value:
                return value
            last = value
        except Exception as error:  # noqa: BLE001 - the last error is reported below
            last = error
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {what}; last: {last!r}")


def png(width: int = 64, height: int = 48) -> bytes:
    """A small RGB gradient PNG, made here so the suite ships no binary file."""
    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in (x * 4 % 256, y * 5 % 256, 128))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class FormParser(HTMLParser):
    """The first <form> of a page: its action and the named inputs' values; and <code> texts."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields: dict[str, str] = {}
        self.in_form = False
        self.codes: list[str] = []
        self._code = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action", "")
            self.in_form = True
        elif tag == "input" and self.in_form and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "code":
            self._code = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "code" and self._code is not None:
            self.codes.append(self._code.strip())
            self._code = None

    def handle_data(self, data):
        if self._code is not None:
            self._code += data


def parse_page(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


def authorize_in_browser(url: str, username: str, password: str, redirect_uri: str, state: str) -> str:
    """What a person does on our authorize page; returns the authorization code."""
    browser = requests.Session()
    page = browser.get(url, timeout=10)
    assert page.status_code == 200, f"GET {url}: {page.status_code} {page.text[:500]}"
    assert "text/html" in page.headers.get("content-type", "")
    form = parse_page(page.text)
    assert form.action, f"no login form on the authorize page: {page.text[:1000]}"
    assert form.fields.get("csrf_token"), "the login form has no CSRF token"
    fields = dict(form.fields)
    fields.update(login=username, password=password, decision="approve")
    answer = browser.post(urljoin(page.url, form.action), data=fields, allow_redirects=False, timeout=10)
    if redirect_uri == OOB:
        assert answer.status_code == 200, f"{answer.status_code} {answer.text[:500]}"
        codes = [c for c in parse_page(answer.text).codes if c and " " not in c]
        assert codes, f"no code on the out-of-band page: {answer.text[:1000]}"
        return codes[-1]
    assert answer.status_code in (302, 303), f"{answer.status_code} {answer.text[:500]}"
    location = answer.headers["location"]
    assert location.startswith(redirect_uri), location
    query = parse_qs(urlparse(location).query)
    assert query.get("state") == [state], location
    return query["code"][0]


def sign_in(base_url: str, username: str, redirect_uri: str = OOB, register=None) -> Mastodon:
    """Registers an app (with `register` as its redirect URIs, else `redirect_uri`), signs
    `username` in through the form, and returns a logged-in client with Mastodon.py's default
    settings."""
    client_id, client_secret = Mastodon.create_app(
        f"Kakehashi client test ({username})",
        redirect_uris=register or redirect_uri,
        website="https://example.org/kakehashi-client-test",
        api_base_url=base_url,
    )
    client = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url)
    state = secrets.token_urlsafe(12)
    url = client.auth_request_url(redirect_uris=redirect_uri, state=state, allow_http=True)
    code = authorize_in_browser(url, username, PASSWORD, redirect_uri, state)
    token = client.log_in(code=code, redirect_uri=redirect_uri, allow_http=True)
    assert token and client.access_token == token
    return client


# ---- members ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def alpha() -> Mastodon:
    """The member under test, signed in with the out-of-band code."""
    return sign_in(ALPHA_URL, ALPHA_USER)


@pytest.fixture(scope="session")
def neighbour() -> Mastodon:
    """Another member of alpha, who favourites, follows and mentions the member under test. Its
    app has two redirect URIs (Mastodon.py joins a list with new lines)."""
    return sign_in(ALPHA_URL, ALPHA_NEIGHBOUR, redirect_uri=CALLBACK, register=[OOB, CALLBACK])


@pytest.fixture(scope="session")
def beta() -> Mastodon:
    """A member of beta, signed in with a redirect URI and `state`."""
    return sign_in(BETA_URL, BETA_USER, redirect_uri=CALLBACK)


@pytest.fixture(scope="session")
def remote_account(alpha):
    """The beta member as alpha knows it, found through v2 search with resolve=True."""
    result = alpha.search_v2(f"@{BETA_USER}@{BETA_DOMAIN}", resolve=True, result_type="accounts")
    assert [a.acct for a in result.accounts] == [f"{BETA_USER}@{BETA_DOMAIN}"], result
    return result.accounts[0]


@pytest.fixture(scope="session")
def following(alpha, beta, remote_account):
    """The member under test follows the beta member, and beta has accepted."""
    relationship = alpha.account_follow(remote_account)
    assert relationship.id == remote_account.id
    assert relationship.following or relationship.requested, relationship

    def accepted():
        (rel,) = alpha.account_relationships(remote_account)
        return rel.following

    eventually("beta to accept the follow", accepted)
    return remote_account
