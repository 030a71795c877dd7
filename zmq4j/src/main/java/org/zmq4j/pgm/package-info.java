/**
 * PGM (RFC 3208) as libzmq's {@code epgm://} puts it in UDP datagrams, sans-IO: {@link
 * org.zmq4j.pgm.PgmCodec} reads and writes the packets a ZeroMQ publisher and subscriber exchange
 * (SPM, ODATA/RDATA, NAK/NCF, SPMR), {@link org.zmq4j.pgm.PgmStreamEncoder} and {@link
 * org.zmq4j.pgm.PgmStreamDecoder} ZeroMQ's framing inside their data, {@link
 * org.zmq4j.pgm.PgmTransmitWindow} and {@link org.zmq4j.pgm.PgmSource} a publisher's session
 * (numbering, SPM schedule, repairs), {@link org.zmq4j.pgm.PgmRateLimiter} its RATE, and {@link
 * org.zmq4j.pgm.PgmReceiver} the subscriber's side (windows per source, NAKs, loss). Internal (not
 * exported): the transport ({@code org.zmq4j.transport.PgmTransport}) and its engine ({@code
 * org.zmq4j.io.PgmEngine}) drive them on an I/O thread; docs/pgm-notes.md has the wire facts.
 * Every class is stateless or owned by one thread.
 */
package org.zmq4j.pgm;
