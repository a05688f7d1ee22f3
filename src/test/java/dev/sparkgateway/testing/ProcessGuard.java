package dev.sparkgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Makes a child process die with the test JVM: a shutdown hook signals it on a normal exit, and a
 * watchdog shell signals it when the JVM is killed (the shell blocks reading the JVM's pipe, which
 * closes whatever way the JVM ends). {@link #close()} disarms both once the owner has stopped it.
 */
public final class ProcessGuard implements AutoCloseable {

    private final ProcessHandle target;
    private final String signal;
    private final Process watchdog;
    private final Thread hook;

    private ProcessGuard(ProcessHandle target, String signal) {
        this.target = target;
        this.signal = signal;
        try {
            // `read` is a shell builtin: killing the shell on close() leaves no child behind that could
            // later signal a reused PID.
            this.watchdog = new ProcessBuilder("sh", "-c", "read _ ; kill -" + signal + " " + target.pid() + " 2>/dev/null")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.hook = new Thread(this::terminate, "stop pid " + target.pid());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Guards {@code process} with {@code signal} (a kill(1) name: KILL for a JVM or haproxy, QUIT for
     * PostgreSQL's immediate shutdown; anything that does not end it in 10 s is killed).
     */
    public static ProcessGuard of(ProcessHandle process, String signal) {
        return new ProcessGuard(process, signal);
    }

    /** Sends the signal, waits up to 10 s, then SIGKILL; returns once the process is gone. */
    public void terminate() {
        if (!target.isAlive()) {
            return;
        }
        signal(target.pid(), signal);
        try {
            target.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            target.destroyForcibly();
            target.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    /** Sends {@code signal} to {@code pid} with kill(1); Java itself only sends TERM and KILL. */
    public static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Disarms the hook and the watchdog; call after the process is stopped (or to hand it over). */
    @Override
    public void close() {
        watchdog.destroyForcibly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook runs anyway, harmlessly.
        }
    }
}
