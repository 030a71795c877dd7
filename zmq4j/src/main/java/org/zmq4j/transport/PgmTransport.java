package org.zmq4j.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.common.Endpoint;
import org.zmq4j.common.SocketOptions;
import org.zmq4j.io.PgmEngine;
import org.zmq4j.io.SessionHost;
import org.zmq4j.pgm.PgmPacket;
import org.zmq4j.pgm.PgmRateLimiter;
import org.zmq4j.pgm.PgmReceiver;
import org.zmq4j.pgm.PgmSource;
import org.zmq4j.pgm.PgmStreamEncoder;
import org.zmq4j.pgm.PgmTransmitWindow;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * {@code epgm://interface;group:port}: PGM (RFC 3208) in UDP, wire-compatible with libzmq built
 * with OpenPGM, for PUB and XPUB (sending) and SUB and XSUB (receiving). As in libzmq, bind and
 * connect do the same thing, and the endpoint is one peer: a publisher sends every message to the
 * group (the peer has subscribed to everything), a subscriber filters what arrives.
 * <p>
 * The channel is bound to {@code 0.0.0.0:port} with SO_REUSEPORT, as OpenPGM binds, so that
 * publishers and subscribers of libzmq and zmq4j on one host share the port; it joins the group on
 * the interface, and sends with the interface, MULTICAST_HOPS and MULTICAST_LOOP. The options
 * libzmq uses: RATE (kbit/s, default 100) bounds what a publisher sends; RATE and RECOVERY_IVL
 * (default 10 s) size both windows (packets = RATE/8 × RECOVERY_IVL / MULTICAST_MAXTPDU, at most
 * {@value #MAX_WINDOW}); MULTICAST_MAXTPDU (default 1500) sizes packets; SNDBUF/RCVBUF the kernel
 * buffers; MAXMSGSIZE the largest frame received.
 * <p>
 * {@code pgm://} (raw PGM, IP protocol 113) needs raw sockets, which the JDK cannot open; it is
 * refused with EPROTONOSUPPORT.
 */
final class PgmTransport {
    /** The largest window kept, in packets (about 90 MiB of 1428-byte TSDUs). */
    static final int MAX_WINDOW = 1 << 16;
    private static final RandomGenerator RANDOM = new SecureRandom();

    private PgmTransport() {
    }

    /**
     * Opens an epgm endpoint (bind and connect alike).
     *
     * @param ep      the endpoint
     * @param host    the socket
     * @param options options copied now
     * @param bind    whether bind() was called
     * @return the handle, closed by unbind/disconnect or socket close
     * @throws ZmqException ENOCOMPATPROTO for other socket types; EINVAL, ENODEV, EADDRINUSE
     */
    static EndpointHandle open(Endpoint ep, SessionHost host, SocketOptions options, boolean bind) {
        boolean sending = options.type == SocketType.PUB || options.type == SocketType.XPUB;
        if (!sending && options.type != SocketType.SUB && options.type != SocketType.XSUB) {
            throw new ZmqException(Errno.ENOCOMPATPROTO, "cannot use '" + ep.text() + "' on a " + options.type
                    + " socket: epgm serves PUB, XPUB, SUB and XSUB only");
        }
        PgmAddress addr = PgmAddress.parse(ep.address(), ep.text());
        int maxTsdu = PgmStreamEncoder.tsduFor(options.multicastMaxTpdu);
        int window = Math.min(MAX_WINDOW, PgmTransmitWindow.libzmqCapacity(options.rate, options.recoveryIvl, options.multicastMaxTpdu));
        InetSocketAddress group = new InetSocketAddress(addr.group(), addr.port());
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(StandardProtocolFamily.INET);
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            if (options.rcvBuf >= 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, Math.max(1, options.rcvBuf));
            }
            if (options.sndBuf >= 0) {
                ch.setOption(StandardSocketOptions.SO_SNDBUF, Math.max(1, options.sndBuf));
            }
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, addr.nic());
            ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, options.multicastHops);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, options.multicastLoop);
            ch.bind(new InetSocketAddress(addr.port()));
            ch.join(addr.group(), addr.nic());
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            Transports.closeQuietly(ch);
            Errno errno = e instanceof java.net.BindException ? Errno.EADDRINUSE : Errno.EINVAL;
            throw new ZmqException(errno, "cannot open '" + ep.text() + "': " + e.getMessage(), e);
        }
        Pipe in = new Pipe(options.rcvHwm, false);
        Pipe out = new Pipe(options.sndHwm, false);
        in.setReaderWake(host.wakeable());
        out.setWriterWake(host.wakeable());
        Peer peer = new Peer(in, out, ep.text(), null, true); // all groups: a publisher's peer takes every message
        byte[] groupNla = addr.group().getAddress();
        PgmEngine engine;
        if (sending) {
            byte[] gsi = new byte[6];
            RANDOM.nextBytes(gsi);
            int sourcePort;
            do {
                sourcePort = RANDOM.nextInt(65536);
            } while (sourcePort == addr.port() || sourcePort == 0);
            long now = System.nanoTime();
            PgmSource source = new PgmSource(new PgmPacket.Tsi(gsi, sourcePort), addr.port(), addr.interfaceAddress().getAddress(),
                    groupNla, new PgmTransmitWindow(window), maxTsdu, now / 1_000_000);
            PgmRateLimiter rate = new PgmRateLimiter(options.rate, options.multicastMaxTpdu, now);
            engine = PgmEngine.sender(host, ch, peer, group, source, rate, ep.text(), bind);
        } else {
            PgmReceiver receiver = new PgmReceiver(addr.port(), groupNla, PgmReceiver.Settings.libzmq(window, options.maxMsgSize),
                    new SplittableRandom());
            engine = PgmEngine.receiver(host, ch, peer, group, receiver, ep.text(), bind);
        }
        host.peerAttached(peer);
        engine.start();
        return Transports.datagramHandle(engine, bind);
    }

    /**
     * Raw PGM cannot be opened from Java.
     *
     * @param ep the endpoint
     * @return the error to throw
     */
    static ZmqException rawRefused(Endpoint ep) {
        return new ZmqException(Errno.EPROTONOSUPPORT, "pgm:// (raw PGM, IP protocol 113) needs raw sockets, which the JDK cannot open;"
                + " use epgm:// (PGM in UDP, which libzmq speaks too) instead of '" + ep.text() + "'");
    }

}
