/**
 * PGM (RFC 3208) as libzmq's {@code epgm://} puts it in UDP datagrams, sans-IO: {@link
 * org.zmq4j.pgm.PgmCodec} reads and writes the packets a ZeroMQ publisher and subscriber exchange
 * (SPM, ODATA/RDATA, NAK/NCF, SPMR), {@link org.zmq4j.pgm.PgmStreamEncoder} and {@link
 * org.zmq4j.pgm.PgmStreamDecoder} ZeroMQ's framing inside their data, {@link
 * org.zmq4j.pgm.PgmTransmitWindow} and {@link org.zmq4j.pgm.PgmSource} a publisher's session
 * (numbering, SPM schedule, repairs). Internal (not exported), and
 * not yet a transport: issue #20 builds the sender, the receiver and their windows on it
 * (docs/pgm-notes.md has the wire facts). Every class is stateless or owned by one thread.
 */
package org.zmq4j.pgm;
