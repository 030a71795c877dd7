/**
 * A Micrometer {@link io.micrometer.core.instrument.binder.MeterBinder} for zmq4j:
 * {@link org.zmq4j.micrometer.ZmqMetrics} binds every socket's, I/O thread's and component's
 * metrics of a {@link org.zmq4j.Context} to a {@link io.micrometer.core.instrument.MeterRegistry}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // micrometer-core has no module-info, only a name
module org.zmq4j.micrometer {
    requires transitive org.zmq4j;
    requires transitive micrometer.core;

    exports org.zmq4j.micrometer;
}
