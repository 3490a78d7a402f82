//! A real `kakehashi` process on a loopback port, as operators and client libraries see it.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// The built binary under test.
pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_kakehashi")
}

/// `kakehashi` with a clean environment apart from what the test passes, run in `dir`.
pub fn command(dir: &Path, envs: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(binary());
    for (key, _) in std::env::vars() {
        if key.starts_with("KAKEHASHI_") || key == "RUST_LOG" {
            cmd.env_remove(key);
        }
    }
    cmd.current_dir(dir).envs(envs.iter().copied());
    cmd
}

/// Runs a one-off command to completion, with `stdin` as its standard input.
pub fn run(dir: &Path, envs: &[(&str, &str)], args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = command(dir, envs)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kakehashi");
    if let Some(mut pipe) = child.stdin.take()
        && let Some(input) = stdin
    {
        pipe.write_all(input.as_bytes()).expect("write stdin");
    }
    child.wait_with_output().expect("wait for kakehashi")
}

/// A free loopback port (bound and released; good enough on a test machine).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// A running `kakehashi serve`.
pub struct ServerProcess {
    child: Option<Child>,
    pub port: u16,
    pub base_url: String,
    pub log: PathBuf,
}

impl ServerProcess {
    /// Starts `kakehashi serve` on a free port with `envs` and waits until `/healthz` answers.
    pub async fn start(dir: &Path, envs: &[(&str, &str)]) -> ServerProcess {
        let port = free_port();
        let listen = format!("127.0.0.1:{port}");
        let log = dir.join(format!("server-{port}.log"));
        let log_file = std::fs::File::create(&log).expect("log file");
        let mut all: Vec<(&str, &str)> = vec![
            ("KAKEHASHI_SERVER__LISTEN", listen.as_str()),
            ("KAKEHASHI_INSTANCE__DOMAIN", listen.as_str()),
        ];
        all.extend_from_slice(envs);
        let child = command(dir, &all)
            .arg("serve")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("log file"))
            .stderr(log_file)
            .spawn()
            .expect("start kakehashi serve");
        let server = ServerProcess {
            child: Some(child),
            port,
            base_url: format!("http://{listen}"),
            log,
        };
        server.wait_until_up().await;
        server
    }

    async fn wait_until_up(&self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(response) = client
                .get(format!("{}/healthz", self.base_url))
                .send()
                .await
                && response.status().is_success()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("kakehashi serve did not start: {}", self.log_text());
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(Child::id).unwrap_or_default()
    }

    /// Sends a signal by name (`TERM`, `INT`).
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.pid().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Waits for the process to exit (after a signal), at most `timeout`.
    pub async fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        let mut child = self.child.take().expect("process still owned");
        loop {
            if let Some(status) = child.try_wait().expect("wait") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("kakehashi did not exit in time: {}", self.log_text());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGTERM and wait for a clean exit.
    pub async fn stop(&mut self) -> ExitStatus {
        self.signal("TERM");
        self.wait(Duration::from_secs(30)).await
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
