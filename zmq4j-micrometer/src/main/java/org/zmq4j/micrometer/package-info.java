/**
 * zmq4j's metrics as Micrometer meters: {@link org.zmq4j.micrometer.ZmqMetrics}.
 */
package org.zmq4j.micrometer;
