//! A TCP proxy a test can cut and restore, to take a database away from a running server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

pub struct CuttableProxy {
    pub addr: SocketAddr,
    down: Arc<AtomicBool>,
    cut: watch::Sender<u64>,
}

impl CuttableProxy {
    /// Forwards connections on a new loopback port to `target`.
    ///
    /// The proxy runs on a runtime of its own: a test's single-threaded runtime stops while the
    /// test blocks (dropping a database, say), and a proxy on it would stall the server's logins.
    pub async fn start(target: String) -> CuttableProxy {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        std_listener.set_nonblocking(true).expect("non-blocking");
        let addr = std_listener.local_addr().expect("proxy address");
        let down = Arc::new(AtomicBool::new(false));
        let (cut, _) = watch::channel(0u64);
        let accept_down = down.clone();
        let accept_cut = cut.clone();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("proxy runtime");
        std::thread::spawn(move || {
            runtime.block_on(async move {
                let listener = TcpListener::from_std(std_listener).expect("listener");
                while let Ok((mut inbound, _)) = listener.accept().await {
                    // Subscribe before looking at the flag, so a cut right after the look still
                    // reaches this connection.
                    let mut cut_rx = accept_cut.subscribe();
                    if accept_down.load(Ordering::SeqCst) {
                        drop(inbound);
                        continue;
                    }
                    let target = target.clone();
                    tokio::spawn(async move {
                        let Ok(mut outbound) = TcpStream::connect(&target).await else {
                            return;
                        };
                        tokio::select! {
                            _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                            _ = cut_rx.changed() => {}
                        }
                    });
                }
            })
        });
        CuttableProxy { addr, down, cut }
    }

    /// Drops every open connection and refuses new ones, as a stopped server would.
    pub fn cut(&self) {
        self.down.store(true, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    /// Accepts connections again.
    pub fn restore(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}

impl Drop for CuttableProxy {
    /// Closes every forwarded connection, so no server-side session outlives the test (PostgreSQL
    /// would otherwise hold a half-open login until its authentication timeout).
    fn drop(&mut self) {
        self.cut();
    }
}
