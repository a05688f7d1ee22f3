package dev.sparkgateway.connect;

import io.grpc.stub.StreamObserver;
import org.jboss.logging.Logger;

/** For fire-and-forget calls: their outcome only goes to the debug log. */
class LoggingObserver<T> implements StreamObserver<T> {

    private static final Logger LOG = Logger.getLogger(LoggingObserver.class);

    private final String what;

    LoggingObserver(String what) {
        this.what = what;
    }

    @Override
    public void onNext(T value) {
        LOG.debugf("%s: done", what);
    }

    @Override
    public void onError(Throwable t) {
        LOG.debugf("%s failed: %s", what, t.getMessage());
    }

    @Override
    public void onCompleted() {
    }
}
