/**
 * What the patterns share and do not export: whole multipart messages, the reconnecting
 * heartbeating link a worker keeps to its broker or queue, and the single-user guard of the
 * blocking classes. Not part of the API (the module does not export this package).
 */
package org.zmq4j.patterns.internal;
