package org.zmq4j.pipe;

/*
 * The field layout of a Pipe, as a chain of superclasses (HotSpot lays out a superclass's fields
 * before its subclass's): the fields the writer changes on every message, those the reader changes
 * on every message, and the two published counters each sit on cache lines of their own, with
 * 128 bytes of padding between groups (two lines: the adjacent-line prefetcher pairs them).
 * Without it, writer and reader wrote the same lines on every message (false sharing). Each group
 * fills whole 8-byte words, so no field of a later group lands in a hole of an earlier one.
 * PipeLayoutTest checks the offsets.
 */

/** Writer-owned: changed by the writer thread on every message. */
abstract class PipeWriterFields {
    Pipe.Chunk writeChunk;
    int writePos;
    int hwmSeen;
    long framesWritten;
    long messagesWritten;
    long committedByWriter;
    /** The writer's last view of the reader's credit: a fast path with no volatile load. */
    long readSeen;
    boolean writingMessage;
    byte writerFill1;
    short writerFill2;
    int writerFill3;
}

abstract class PipePadAfterWriter extends PipeWriterFields {
    long pw0, pw1, pw2, pw3, pw4, pw5, pw6, pw7, pw8, pw9, pw10, pw11, pw12, pw13, pw14, pw15;
}

/** Published by the writer: frames committed (every message), and its blocked/closed flags. */
abstract class PipeCommitFields extends PipePadAfterWriter {
    volatile long framesCommitted;
    volatile boolean writerBlocked;
    volatile boolean writerClosed;
    short commitFill1;
    int commitFill2;
}

abstract class PipePadAfterCommit extends PipeCommitFields {
    long pc0, pc1, pc2, pc3, pc4, pc5, pc6, pc7, pc8, pc9, pc10, pc11, pc12, pc13, pc14, pc15;
}

/** Published by the reader: its credit (every credit batch) and its closed flag. */
abstract class PipeCreditFields extends PipePadAfterCommit {
    volatile long messagesRead;
    volatile boolean readerClosed;
    byte creditFill1;
    short creditFill2;
    int creditFill3;
}

abstract class PipePadAfterCredit extends PipeCreditFields {
    long pr0, pr1, pr2, pr3, pr4, pr5, pr6, pr7, pr8, pr9, pr10, pr11, pr12, pr13, pr14, pr15;
}

/** Reader-owned: changed by the reader thread on every message. */
abstract class PipeReaderFields extends PipePadAfterCredit {
    Pipe.Chunk readChunk;
    int readPos;
    int lastFlags;
    long framesRead;
    long committedSeen;
    long localMessagesRead;
    /** The credit last published with a full fence (by Pipe.publishCredit). */
    long creditFenced;
    /** The frame last returned by read(), so only that exact array can be recycled. */
    byte[] lastFrame;
    int readerFill1;
    int readerFill2;
}

/** Padding before the read-mostly fields declared in Pipe itself. */
abstract class PipePadAfterReader extends PipeReaderFields {
    long pa0, pa1, pa2, pa3, pa4, pa5, pa6, pa7, pa8, pa9, pa10, pa11, pa12, pa13, pa14, pa15;
}
