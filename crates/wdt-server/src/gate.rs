//! Closing a listening socket without resetting connections its clients already hold.
//!
//! The kernel completes handshakes on its own and queues them for `accept`; closing the socket
//! resets every connection still queued, although its client saw `connect` succeed. So at
//! shutdown the server first stops new handshakes from starting (a socket filter drops segments
//! without ACK, i.e. the SYN that opens a connection: its client retries and then finds the port
//! closed), lets those already answered complete, empties the queue, and only then closes.

/// Makes `listener` drop every new connection attempt while letting handshakes in progress, and
/// the connections already queued, complete. `false` if the platform or the socket refused it,
/// in which case new connections keep arriving until the socket closes.
#[cfg(target_os = "linux")]
pub(crate) fn refuse_new_handshakes(listener: &std::net::TcpListener) -> bool {
    use socket2::{SockFilter, SockRef};

    // Classic BPF over the TCP header (a socket filter sees the segment from its TCP header on).
    const LD_B_ABS: u16 = 0x30; // A = byte at k
    const JMP_JSET_K: u16 = 0x45; // if A & k, skip jt, else skip jf
    const RET_K: u16 = 0x06; // keep k bytes of the segment (0: drop it)
    const TCP_FLAGS: u32 = 13;
    const ACK: u32 = 0x10;
    let program = [
        SockFilter::new(LD_B_ABS, 0, 0, TCP_FLAGS),
        SockFilter::new(JMP_JSET_K, 0, 1, ACK),
        SockFilter::new(RET_K, 0, 0, u32::MAX),
        SockFilter::new(RET_K, 0, 0, 0),
    ];
    match SockRef::from(listener).attach_filter(&program) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "could not refuse new connections before closing the listener");
            false
        }
    }
}

/// Elsewhere nothing stops new handshakes: see the Linux version.
#[cfg(not(target_os = "linux"))]
pub(crate) fn refuse_new_handshakes(_listener: &std::net::TcpListener) -> bool {
    false
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::time::Duration;

    #[test]
    fn a_shut_gate_lets_queued_connections_through_and_no_new_one() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let mut queued = TcpStream::connect(addr).unwrap();
        assert!(super::refuse_new_handshakes(&listener));

        // The new attempt's SYN is dropped: its connect neither completes nor fails at once.
        let late = TcpStream::connect_timeout(&addr, Duration::from_millis(300));
        assert!(late.is_err(), "a connection completed after the gate shut");

        // The queued one is accepted and carries data both ways (its segments carry ACK).
        let (mut served, _) = listener.accept().unwrap();
        queued.write_all(b"ping").unwrap();
        let mut got = [0u8; 4];
        served.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"ping");
        served.write_all(b"pong").unwrap();
        queued.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"pong");
        listener.set_nonblocking(true).unwrap();
        assert!(listener.accept().is_err(), "nothing else was queued");
    }
}
