package dev.sentinel.testing;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP proxy in front of PostgreSQL that reads the frontend protocol and counts round
 * trips: a round trip ends at a Sync ('S') or simple Query ('Q') message that the client sends
 * nothing after, since the client then waits for the server (pgjdbc writes each batch with one
 * flush, so a pipelined batch arrives together). It records the SQL sent in each round trip.
 * Connect with {@code sslmode=disable} and {@code gssEncMode=disable} so the stream is readable.
 * For tests and benchmarks: it adds latency of its own. Thread-safe.
 */
public final class WireTap implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<List<String>> roundTrips = new ArrayList<>();
    private List<String> pending = new ArrayList<>();

    private WireTap(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "wiretap-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a proxy to a local PostgreSQL port.
     *
     * @param targetPort the server's port on loopback
     * @return the running proxy
     * @throws IOException if no port can be bound
     */
    public static WireTap to(int targetPort) throws IOException {
        return new WireTap(targetPort);
    }

    /**
     * The port clients connect to.
     *
     * @return the port
     */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * The round trips since the last {@link #reset()}, each as the SQL texts it carried.
     *
     * @return a copy
     */
    public synchronized List<List<String>> roundTrips() {
        return List.copyOf(roundTrips);
    }

    /** Forgets what was counted. */
    public synchronized void reset() {
        roundTrips.clear();
        pending = new ArrayList<>();
    }

    private synchronized void sql(String text) {
        pending.add(text);
    }

    private synchronized void endOfRoundTrip() {
        roundTrips.add(List.copyOf(pending));
        pending = new ArrayList<>();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(server);
                }
                pump("wiretap-frontend", () -> readFrontend(client.getInputStream(), server.getOutputStream()));
                pump("wiretap-backend", () -> server.getInputStream().transferTo(client.getOutputStream()));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private interface Io {
        void run() throws IOException;
    }

    private static void pump(String name, Io io) {
        Thread thread = new Thread(() -> {
            try {
                io.run();
            } catch (IOException e) {
                // a connection closed: nothing to count any more
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void readFrontend(InputStream raw, OutputStream serverOut) throws IOException {
        OutputStream server = serverOut;
        DataInputStream in = new DataInputStream(raw);
        // The startup message has no type byte.
        int length = in.readInt();
        byte[] startup = new byte[length - 4];
        in.readFully(startup);
        server.write(intBytes(length));
        server.write(startup);
        server.flush();
        server = new BufferedOutputStream(server);
        while (true) {
            int type;
            try {
                type = in.readUnsignedByte();
            } catch (EOFException e) {
                return;
            }
            int size = in.readInt();
            byte[] body = new byte[size - 4];
            in.readFully(body);
            switch (type) {
                case 'Q' -> sql(cString(body, 0).strip());
                case 'P' -> sql(cString(body, indexOfNul(body, 0) + 1).strip());
                default -> {
                }
            }
            server.write(type);
            server.write(intBytes(size));
            server.write(body);
            // The client waits for the server only after a Sync or a simple Query with nothing sent
            // behind it: pgjdbc pipelines its BEGIN (a simple Query) with the statements after it.
            if (raw.available() == 0) {
                // Record before forwarding: once the server has the bytes, the client may get its
                // answer and the test may read the count before this thread runs again.
                if (type == 'S' || type == 'Q' || type == 'H') {
                    endOfRoundTrip();
                }
                server.flush();
            }
        }
    }

    private static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static int indexOfNul(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return bytes.length;
    }

    private static String cString(byte[] bytes, int from) {
        return new String(bytes, from, indexOfNul(bytes, from) - from, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (sockets) {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
