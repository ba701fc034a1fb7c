//! A raw server whose answer body is endless (or far larger than any cap), and a report of
//! how much it wrote before the client hung up: the memory tests of `faults.rs` and the
//! framing tests of `hostile_peers.rs`.

use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::{RawServer, read_counted};

/// How the streamed body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `Content-Length` with this value.
    Length(u64),
    /// `Transfer-Encoding: chunked`, chunks until the server stops (no last chunk).
    Chunked,
    /// `Content-Length: 2` *and* `Transfer-Encoding: chunked`, chunks until the server stops.
    LengthAndChunked,
    /// Neither: `Connection: close`, bytes until the server stops, which it never does first.
    UntilClose,
}

impl Framing {
    /// Whether the body goes in chunks.
    pub fn chunked(self) -> bool {
        matches!(self, Framing::Chunked | Framing::LengthAndChunked)
    }

    /// The head's framing lines.
    fn header(self) -> String {
        match self {
            Framing::Length(n) => format!("Content-Length: {n}\r\n"),
            Framing::Chunked => "Transfer-Encoding: chunked\r\n".into(),
            Framing::LengthAndChunked => {
                "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n".into()
            }
            Framing::UntilClose => "Connection: close\r\n".into(),
        }
    }

    /// `data` as it goes on the wire: one chunk when chunked.
    fn frame(self, data: &[u8]) -> Vec<u8> {
        if self.chunked() {
            [
                format!("{:x}\r\n", data.len()).into_bytes(),
                data.to_vec(),
                b"\r\n".to_vec(),
            ]
            .concat()
        } else {
            data.to_vec()
        }
    }
}

/// The answer a streaming server writes after reading one request.
#[derive(Debug, Clone, Copy)]
pub struct Streaming {
    /// The status line's code and reason, `"200 OK"`.
    pub status: &'static str,
    pub content_type: &'static str,
    pub framing: Framing,
    /// The body's first bytes, sent with the head (one chunk of their own when chunked; none
    /// when empty).
    pub prefix: &'static [u8],
    /// The byte the rest of the body repeats, in 64 KiB pieces.
    pub fill: u8,
    /// The server stops once it has written this many bytes after the head and prefix
    /// (counted as framed on the wire).
    pub limit: usize,
}

/// What a streaming server wrote (after the head and prefix) and how writing ended: `None`
/// if it reached its limit, else the write error (the client hung up).
#[derive(Debug)]
pub struct Streamed {
    pub written: usize,
    pub error: Option<std::io::ErrorKind>,
}

/// A server that answers every request with `answer`, and sends a [`Streamed`] report per
/// connection when it stops writing.
pub async fn streaming_server(answer: Streaming) -> (RawServer, UnboundedReceiver<Streamed>) {
    let (tx, rx) = unbounded_channel();
    let server = RawServer::start(move |mut stream, _, requests| {
        let tx = tx.clone();
        async move {
            if read_counted(&mut stream, &requests).await.is_none() {
                return;
            }
            let Streaming {
                status,
                content_type,
                framing,
                prefix,
                fill,
                limit,
            } = answer;
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{}\r\n",
                framing.header()
            );
            let mut first = head.into_bytes();
            if !prefix.is_empty() {
                first.extend_from_slice(&framing.frame(prefix));
            }
            let piece = framing.frame(&vec![fill; 64 * 1024]);
            let mut written = 0;
            let mut error = stream.write_all(&first).await.err();
            while error.is_none() && written < limit {
                match stream.write_all(&piece).await {
                    Ok(()) => written += piece.len(),
                    Err(e) => error = Some(e),
                }
            }
            let _ = tx.send(Streamed {
                written,
                error: error.map(|e| e.kind()),
            });
        }
    })
    .await;
    (server, rx)
}
