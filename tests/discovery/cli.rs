//! Partners and relays as an operator manages them: `kakehashi admin partner …` and
//! `kakehashi admin relay …` run as separate processes on alpha's and beta's databases (with their
//! configuration files), while the two instances run and deliver what the commands queued.

use std::path::Path;
use std::process::Output;

use kakehashi::domain::discovery;

use super::partners::wait_active;
use crate::support::network::{Instance, Network, PATIENCE, eventually};
use crate::support::process::run;

/// Writes `instance`'s configuration as `kakehashi.toml` in `dir` (the file the CLI reads).
fn config_file(instance: &Instance, dir: &Path) {
    let text = toml::to_string(&instance.config).expect("configuration as TOML");
    std::fs::write(dir.join("kakehashi.toml"), text).expect("write kakehashi.toml");
}

/// Runs `kakehashi admin ARGS` in `dir` (off the runtime's threads, which serve the instances).
async fn admin(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let dir = dir.to_owned();
    let mut all = vec!["admin".to_owned()];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    let Output {
        status,
        stdout,
        stderr,
    } = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = all.iter().map(String::as_str).collect();
        run(&dir, &[], &args, None)
    })
    .await
    .expect("run kakehashi");
    (
        status.success(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_make_partners_and_manage_relays_from_the_command_line() {
    let net = Network::start(&["alpha", "beta"]).await;
    let (alpha, beta) = (net.get("alpha"), net.get("beta"));
    let alpha_dir = tempfile::tempdir().expect("dir");
    let beta_dir = tempfile::tempdir().expect("dir");
    config_file(alpha, alpha_dir.path());
    config_file(beta, beta_dir.path());

    // alpha's operator asks; the running alpha sends the Follow; beta sees a request.
    let (ok, out, err) = admin(alpha_dir.path(), &["partner", "add", &beta.domain]).await;
    assert!(ok, "partner add: {err}");
    assert!(
        out.contains("Following") && out.contains(&beta.domain),
        "{out}"
    );
    let alpha_actor = eventually("beta lists alpha's request", PATIENCE, || async {
        let (ok, out, _) = admin(beta_dir.path(), &["partner", "requests"]).await;
        (ok && out.contains("1 request(s)"))
            .then(|| out.lines().next().unwrap_or_default().to_owned())
    })
    .await;
    assert!(alpha_actor.contains(&alpha.domain), "{alpha_actor}");

    // beta's operator agrees by adding alpha in turn: active both ways.
    let (ok, _, err) = admin(beta_dir.path(), &["partner", "add", &alpha.domain]).await;
    assert!(ok, "partner add on beta: {err}");
    wait_active(alpha, beta).await;
    wait_active(beta, alpha).await;
    let (ok, out, _) = admin(alpha_dir.path(), &["partner", "list"]).await;
    assert!(ok);
    let line = out
        .lines()
        .find(|l| l.contains(&beta.domain))
        .unwrap_or_else(|| panic!("beta listed: {out}"));
    assert!(
        line.contains("accepted") && line.trim_end().ends_with("yes"),
        "{line}"
    );
    assert!(out.contains("1 entr(ies)"), "{out}");

    // A relay that does not exist is one plain sentence, and nothing is stored.
    let (ok, _, err) = admin(
        alpha_dir.path(),
        &[
            "relay",
            "add",
            &format!("http://{}/no-such-relay", beta.domain),
            "--style",
            "litepub",
        ],
    )
    .await;
    assert!(!ok, "a missing relay is refused");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let (ok, out, _) = admin(alpha_dir.path(), &["relay", "list"]).await;
    assert!(ok && out.contains("0 entr(ies)"), "{out}");
    let (ok, _, err) = admin(
        alpha_dir.path(),
        &["relay", "add", "x", "--style", "carrier-pigeon"],
    )
    .await;
    assert!(!ok && err.contains("carrier-pigeon"), "{err}");

    // Ending it: alpha's follow is undone and beta's removed.
    let (ok, out, err) = admin(alpha_dir.path(), &["partner", "remove", &beta.domain]).await;
    assert!(ok, "partner remove: {err}");
    assert!(out.contains("No longer a partner"), "{out}");
    let left = discovery::list(alpha.state(), false).await.expect("list");
    assert!(left.iter().all(|p| !p.active()), "no active partner left");
}
