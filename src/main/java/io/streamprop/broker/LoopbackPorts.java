package io.streamprop.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds TCP ports on the loopback interface that nothing listens on at the moment of asking. */
public final class LoopbackPorts {
    /** The only address the embedded broker binds to. */
    public static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    /**
     * Returns {@code count} distinct ports that were free when this method ran. Another process
     * may still take one before the caller binds it; the window is short.
     */
    public static int[] pickFree(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count is " + count + ", expected at least 1");
        }
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                // Keeping every socket open until all are chosen makes the ports distinct.
                sockets[i] = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find " + count + " free ports on " + HOST, e);
        } finally {
            closeAll(sockets);
        }
    }

    private static void closeAll(ServerSocket[] sockets) {
        for (ServerSocket socket : sockets) {
            if (socket == null) {
                continue;
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // A probe socket that fails to close still frees its port when collected.
            }
        }
    }
}
