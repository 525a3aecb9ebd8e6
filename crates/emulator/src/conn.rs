//! The connections the emulator serves: the accept loop with its time limits (a client that
//! is slow to send its headers, or idles between requests, is disconnected), TCP streams that
//! a handler can cut (`--faults drop`), and the peer address (the fault control route answers
//! loopback callers only).

use axum::extract::ConnectInfo;
use axum::serve::Listener as _;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

/// How long a client may take. Each request sees them as an extension (`http::read_body`
/// reads the body under `body_read`); in-process requests without one get the defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// From the moment the server waits for a request (a new connection, or an idle
    /// keep-alive one after its last answer) to the request's last header byte; past it the
    /// connection is closed. This is also the idle keep-alive timeout.
    pub header_read: Duration,
    /// From the end of the headers to the body's last byte; past it the answer is a 408 and
    /// the connection is closed.
    pub body_read: Duration,
}

impl Default for Limits {
    /// Above fetch clients' own keep-alive (undici: 4 s), so a client never reuses a socket
    /// the server is closing; far below the minutes a hostile client could hold otherwise.
    fn default() -> Limits {
        Limits { header_read: Duration::from_secs(15), body_read: Duration::from_secs(30) }
    }
}

/// Headers hyper parses before refusing with its own empty 431; the router refuses more
/// than [`crate::http::MAX_HEADERS`] with the error envelope, so this is only the hard stop.
const HYPER_MAX_HEADERS: usize = 1000;

/// Serves `router` on `listener` until `shutdown` resolves, then lets open requests finish.
/// HTTP/1.1 only: the API's clients speak it, and it is what the time limits cover.
pub async fn serve(
    mut listener: Listener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let conn = Conn { peer, cut: stream.cut.clone() };
        let router = router.clone();
        let service = service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(conn.clone()));
            req.extensions_mut().insert(limits);
            router.clone().oneshot(req)
        });
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read)
            .max_headers(HYPER_MAX_HEADERS)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        // A failed connection (reset, timed out) concerns that client only.
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
    graceful.shutdown().await;
    Ok(())
}

/// A TCP listener whose streams can be cut from a handler.
#[derive(Debug)]
pub struct Listener(pub TcpListener);

impl axum::serve::Listener for Listener {
    type Io = Stream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Stream, SocketAddr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    return (Stream { inner: stream, cut: Arc::default() }, addr);
                }
                // A client that gave up before being accepted: try the next one.
                Err(e) if is_connection_error(&e) => {}
                // Out of file descriptors and the like: retrying at once would spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}

/// A TCP stream that fails every read and write once cut, so hyper abandons the connection
/// without writing the pending response, and closes the socket.
#[derive(Debug)]
pub struct Stream {
    inner: TcpStream,
    cut: Arc<AtomicBool>,
}

impl Stream {
    fn is_cut(&self) -> bool {
        self.cut.load(Ordering::SeqCst)
    }
}

fn severed() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionAborted, "connection dropped by --faults")
}

impl AsyncRead for Stream {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        if self.is_cut() {
            return Poll::Ready(Err(severed()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Stream {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.is_cut() {
            return Poll::Ready(Err(severed()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.is_cut() {
            return Poll::Ready(Err(severed()));
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.is_cut() {
            return Poll::Ready(Err(severed()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// What a handler knows about its connection (`ConnectInfo<Conn>`).
#[derive(Clone, Debug)]
pub struct Conn {
    pub peer: SocketAddr,
    cut: Arc<AtomicBool>,
}

impl Conn {
    /// Closes the connection without a response: nothing more is read or written on it.
    pub fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
    }

    pub fn is_loopback(&self) -> bool {
        match self.peer.ip() {
            IpAddr::V4(ip) => ip.is_loopback(),
            IpAddr::V6(ip) => ip.to_ipv4_mapped().map_or(ip.is_loopback(), |v4| v4.is_loopback()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_peers() {
        let conn = |addr: &str| Conn { peer: addr.parse().unwrap(), cut: Arc::default() };
        assert!(conn("127.0.0.1:1").is_loopback());
        assert!(conn("127.8.9.10:1").is_loopback());
        assert!(conn("[::1]:1").is_loopback());
        assert!(conn("[::ffff:127.0.0.1]:1").is_loopback());
        assert!(!conn("192.168.1.2:1").is_loopback());
        assert!(!conn("[::ffff:10.0.0.1]:1").is_loopback());
        assert!(!conn("[2001:db8::1]:1").is_loopback());
    }
}
