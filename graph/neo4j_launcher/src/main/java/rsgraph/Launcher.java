package rsgraph;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs embedded Neo4j Community with only the Bolt connector, bound to 127.0.0.1.
 *
 * <p>Usage: {@code Launcher --data DIR --port N --password-file FILE [--pagecache 512m]}.
 * DIR is the Neo4j home (store in DIR/data, logs in DIR/logs). Prints
 * {@code READY bolt://127.0.0.1:N <version>} once Bolt accepts connections; SIGTERM shuts down cleanly.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws InterruptedException {
        try {
            start(args);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1); // also runs the shutdown hook if the DBMS was built
        }
        new CountDownLatch(1).await(); // the shutdown hook ends the process on SIGTERM/SIGINT
    }

    private static void start(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        if (!opts.containsKey("--data") || !opts.containsKey("--port") || !opts.containsKey("--password-file")) {
            System.err.println("usage: Launcher --data DIR --port N --password-file FILE [--pagecache SIZE]");
            System.exit(2);
        }
        Path home = Path.of(opts.get("--data")).toAbsolutePath();
        int port = Integer.parseInt(opts.get("--port"));
        String password = Files.readString(Path.of(opts.get("--password-file")), StandardCharsets.UTF_8).strip();

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                .setConfig(GraphDatabaseSettings.pagecache_memory,
                        ByteUnit.parse(opts.getOrDefault("--pagecache", "512m")))
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(64))
                // Stopping Bolt otherwise idles 2 x 5 s after all connections are gone.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("launcher: shutting down");
            dbms.shutdown();
            System.err.println("launcher: shutdown complete");
        }, "neo4j-shutdown"));

        Path marker = home.resolve(".initial-password-set");
        if (!Files.exists(marker)) {
            setInitialPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
            Files.createFile(marker);
        }
        String version = DatabaseManagementServiceBuilder.class.getPackage().getImplementationVersion();
        waitForBolt(port);
        System.out.println("READY bolt://127.0.0.1:" + port + " " + version);
        System.out.flush();
    }

    /** On first start the neo4j user still has the default password: replace it with ours. */
    private static void setInitialPassword(GraphDatabaseService system, String password) {
        boolean firstStart = system.executeTransactionally(
                "SHOW USERS YIELD user, passwordChangeRequired WHERE user = 'neo4j' RETURN passwordChangeRequired",
                Map.of(), r -> r.hasNext() && Boolean.TRUE.equals(r.next().get("passwordChangeRequired")));
        if (firstStart) {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            System.err.println("launcher: initial password of user neo4j set from password file");
        }
    }

    private static void waitForBolt(int port) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Bolt did not start listening on 127.0.0.1:" + port);
    }
}
